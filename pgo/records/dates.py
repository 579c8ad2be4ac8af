"""FHIR dates: with and without zone, partial (2019, 2019-04), keeping their precision for display."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from pgo.clock import before_earliest
from pgo.i18n import _

# Dutch records without a zone are in Dutch local time.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<z>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


def parse_fhir_date(text: object) -> tuple[datetime | None, str]:
    """The moment in UTC and its precision ("year", "month", "day", "minute"), or (None, "").

    Seconds' fractions are dropped. A moment with its zone (most of an import's) is read by ``fromisoformat`` in
    one step once the pattern has matched; without a zone it is Dutch local time."""
    if not isinstance(text, str):
        return None, ""
    text = text.strip()
    match = _DATE.match(text)
    if not match:
        return None, ""
    try:
        zone_at = match.start("z")
        if zone_at != -1:
            seconds_end = match.end("S")  # the fraction between the seconds and the zone is dropped
            if seconds_end not in (-1, zone_at):
                text = text[:seconds_end] + text[zone_at:]
            return datetime.fromisoformat(text).astimezone(UTC), "minute"
        year, month, day, hour = match.group("y", "m", "d", "H")
        if hour is None:
            precision = "day" if day else "month" if month else "year"
            return datetime(int(year), int(month or 1), int(day or 1), tzinfo=UTC), precision
        naive = datetime(int(year), int(month), int(day), int(hour), int(match["M"]), int(match["S"] or 0))
    except ValueError:  # a day, hour or zone that does not exist (2021-02-30, 24:00, +25:00)
        return None, ""
    return naive.replace(tzinfo=LOCAL_ZONE).astimezone(UTC), "minute"


class InvalidDate(ValueError):
    """A FHIR date a record is placed by that does not exist (2026-02-30, 0000-00-00) or lies before 1900."""

    def __init__(self, text: str, *, too_early: bool) -> None:
        super().__init__(text)
        self.text = text
        self.too_early = too_early


def checked_fhir_date(text: object) -> tuple[datetime | None, str]:
    """``parse_fhir_date`` for the dates an import places a record by (#17, 2026-12-03).

    Text that is no date at all (``abatementString``: "in childhood") is still no date; but text shaped as a date
    that does not exist, or a date before 1900 (``EARLIEST_DATE``), raises ``InvalidDate`` so that the file is
    refused instead of stored without its date."""
    moment, precision = parse_fhir_date(text)
    if moment is None:
        if isinstance(text, str) and _DATE.match(text.strip()):
            raise InvalidDate(text.strip(), too_early=False)
        return None, ""
    if before_earliest(moment):
        raise InvalidDate(text.strip(), too_early=True)  # type: ignore[union-attr]  (parsed: a str)
    return moment, precision


def precision_of(text: str) -> str:
    return parse_fhir_date(text)[1]


_MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def display_date(text: str, lang: str = "nl") -> str:
    """A date for people, at the precision it was recorded: '2019', 'april 2019', '3 april 2019, 14:05'."""
    shown = _shown_date(text, lang) if text else None
    return shown if shown is not None else (text or _("date unknown"))


@lru_cache(maxsize=8192)
def _shown_date(text: str, lang: str) -> str | None:
    """``display_date`` of a date that parses, None otherwise; kept, as a list page shows the same dates in
    several places and parsing one is a third of presenting a record."""
    moment, precision = parse_fhir_date(text)
    if moment is None:
        return None
    if precision == "minute":
        moment = moment.astimezone(LOCAL_ZONE)
    months = _MONTHS_NL if lang == "nl" else _MONTHS_EN
    month = months[moment.month - 1]
    if precision == "year":
        return str(moment.year)
    if precision == "month":
        return f"{month} {moment.year}"
    day = f"{moment.day} {month} {moment.year}" if lang == "nl" else f"{month} {moment.day}, {moment.year}"
    return day if precision == "day" else f"{day}, {moment:%H:%M}"
