"""FHIR dates: with and without zone, partial (2019, 2019-04), keeping their precision for display."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from pgo.i18n import _

# Dutch records without a zone are in Dutch local time.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")
_DATE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<z>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


def parse_fhir_date(text: object) -> tuple[datetime | None, str]:
    """The moment in UTC and its precision ("year", "month", "day", "minute"), or (None, "")."""
    if not isinstance(text, str):
        return None, ""
    match = _DATE.match(text.strip())
    if not match:
        return None, ""
    parts = match.groupdict()
    try:
        if parts["H"] is None:
            precision = "day" if parts["d"] else "month" if parts["m"] else "year"
            moment = datetime(int(parts["y"]), int(parts["m"] or 1), int(parts["d"] or 1), tzinfo=UTC)
            return moment, precision
        naive = datetime(
            int(parts["y"]), int(parts["m"]), int(parts["d"]), int(parts["H"]), int(parts["M"]), int(parts["S"] or 0)
        )
    except ValueError:
        return None, ""
    zone = parts["z"]
    if zone is None:
        return naive.replace(tzinfo=LOCAL_ZONE).astimezone(UTC), "minute"
    aware = datetime.fromisoformat(naive.isoformat() + ("+00:00" if zone == "Z" else zone))
    return aware.astimezone(UTC), "minute"


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


def display_date(text: str, locale: str = "nl") -> str:
    """A date for people, at the precision it was recorded: '2019', 'april 2019', '3 april 2019, 14:05'."""
    shown = _shown_date(text, locale) if text else None
    return shown if shown is not None else (text or _("date unknown"))


@lru_cache(maxsize=8192)
def _shown_date(text: str, locale: str) -> str | None:
    """``display_date`` of a date that parses, None otherwise; kept, as a list page shows the same dates in
    several places and parsing one is a third of presenting a record."""
    moment, precision = parse_fhir_date(text)
    if moment is None:
        return None
    if precision == "minute":
        moment = moment.astimezone(LOCAL_ZONE)
    months = _MONTHS_NL if locale == "nl" else _MONTHS_EN
    month = months[moment.month - 1]
    if precision == "year":
        return str(moment.year)
    if precision == "month":
        return f"{month} {moment.year}"
    day = f"{moment.day} {month} {moment.year}" if locale == "nl" else f"{month} {moment.day}, {moment.year}"
    return day if precision == "day" else f"{day}, {moment:%H:%M}"
