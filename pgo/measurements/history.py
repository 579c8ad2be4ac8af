"""History per type: table rows for a period, summary figures, a text summary and the trend chart.

Periods are calendar periods in Dutch local time: this week (Monday to Sunday), this month, this year; the
summary compares with the period before. One call, ``measurement_history``, gives a view all it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from babel.dates import format_datetime
from sqlmodel import Session, col, select

from pgo.accounts.models import User
from pgo.i18n import _, current_locale, ngettext, use_locale
from pgo.levels import ReadingLevel
from pgo.localtime import day_start_utc, local
from pgo.measurements import messages
from pgo.measurements.chart import (
    VARIANT_FONT,
    VARIANT_WIDTHS,
    Band,
    Frame,
    Series,
    legend_swatches,
    trend_chart_svg,
)
from pgo.measurements.models import Measurement, Severity, Source, ThresholdRule
from pgo.measurements.thresholds import GENERAL_RULES, clinical_severity_word, personal_rules, severity_word
from pgo.measurements.trend import (
    MAX_FLAGGED_DRAWN,
    Bucket,
    ChartPoints,
    chart_points,
    in_period,
    period_buckets,
)
from pgo.measurements.types import MeasurementType, get_type, unit_symbol

PERIODS = ("week", "month", "year")
LAST_30_DAYS = "last30"  # the clinician's preparation (#18): 30 local days up to and including today, not a choice


@dataclass(frozen=True)
class HistoryRow:
    """One measurement as a table row."""

    measurement_id: int
    when: str
    value: str
    source: str
    source_ref: str | None
    note: str
    flagged: bool
    severity: str
    severity_word: str
    sent: str = ""  # "Sent to X on 3 Dec 2026 09:10" (#20), or that it waits

    @property
    def clinical_word(self) -> str:
        """The status as the clinician's pages say it (#18)."""
        return clinical_severity_word(Severity(self.severity))


@dataclass(frozen=True)
class SimpleTrend:
    """The simplified view's chart (#18): the last readings, oldest first, each with its step from the one before
    ("up", "down", "same"; "" for the first), and their direction in words."""

    values: tuple[tuple[str, str, str], ...]  # (when, value, step)
    direction: str


SIMPLE_VALUES = 5
SAME_WITHIN = 0.03  # a change of at most 3% is "about the same"


@dataclass(frozen=True)
class FieldStats:
    count: int
    mean: float
    low: float
    high: float


@dataclass
class History:
    type: str
    type_label: str
    period: str
    start: date
    end: date  # exclusive
    rows: list[HistoryRow] = field(default_factory=list)
    stats: dict[str, FieldStats] = field(default_factory=dict)
    previous_stats: dict[str, FieldStats] = field(default_factory=dict)
    summary: str = ""
    chart_svg: str = ""
    # (width, svg): the chart drawn for several widths with body-sized text; a page shows the one that fits (#18)
    chart_variants: tuple[tuple[int, str], ...] = ()
    chart_legend: tuple[tuple[str, str], ...] = ()  # (sample SVG, label): the variants' legend, as text
    simple: SimpleTrend | None = None  # the simplified view's chart, when asked for
    before: str = ""  # for a clinician: the last reading before the period, as context ("150/95 mmHg, 2 okt 2026")
    total: int = 0  # measurements in the period
    page: int = 1  # the page of rows shown, of ``pages``
    pages: int = 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """First day and the day after the last of the calendar ``period`` holding ``today``."""
    if period == "week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = today.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1)
    if period == "year":
        return today.replace(month=1, day=1), date(today.year + 1, 1, 1)
    if period == LAST_30_DAYS:
        return today - timedelta(days=29), today + timedelta(days=1)
    raise ValueError(f"period is one of {PERIODS}")


def _period(user_id: int, type: str, start: date, end: date) -> dict:
    """The parameters of ``in_period``."""
    return {"user_id": user_id, "type": type, "start": day_start_utc(start), "end": day_start_utc(end)}


def newest_between(
    *, session: Session, user_id: int, type: str, start: date, end: date, offset: int, limit: int
) -> list[Measurement]:
    """One page of the period's measurements, newest first (an index range: ix_measurement_user_type_time)."""
    query = in_period(select(Measurement)).order_by(col(Measurement.measured_at).desc(), col(Measurement.id).desc())
    return list(session.exec(query.offset(offset).limit(limit), params=_period(user_id, type, start, end)))


def figures_of(buckets: list[Bucket], field_names: tuple[str, ...]) -> tuple[int, dict[str, FieldStats]]:
    """A period's number of measurements and, per field, its count, mean, lowest and highest value, from the
    period's buckets (``pgo.measurements.trend.period_buckets``)."""
    stats = {}
    for name in field_names:
        found = [b.fields[name] for b in buckets if name in b.fields]
        if found:
            count = sum(f[0] for f in found)
            mean = sum(f[1] for f in found) / count
            stats[name] = FieldStats(count, mean, min(f[2] for f in found), max(f[3] for f in found))
    return sum(b.count for b in buckets), stats


def period_figures(
    *, session: Session, user_id: int, mtype: MeasurementType, start: date, end: date
) -> tuple[int, dict[str, FieldStats]]:
    """The period's number of measurements and its figures per field, counted by the database (one statement
    over an index range, at most 53 rows back), so a period's size costs little here."""
    buckets = period_buckets(
        session=session, user_id=user_id, type=mtype.key, field_names=mtype.field_names, start=start, end=end
    )
    return figures_of(buckets, mtype.field_names)


def period_statistics(
    *, session: Session, user_id: int, mtype: MeasurementType, start: date, end: date
) -> dict[str, FieldStats]:
    """The figures of ``period_figures`` without the count of measurements."""
    return period_figures(session=session, user_id=user_id, mtype=mtype, start=start, end=end)[1]


def value_text(mtype: MeasurementType, values: dict, note: str = "") -> str:
    """What a person reads for a measurement's values: "142/88 mmHg, pulse 71 /min", "72,5 kg"."""
    if mtype.is_note:
        return note
    if mtype.key == "blood_pressure":
        text = f"{messages.number(values['systolic'], 0)}/{messages.number(values['diastolic'], 0)} mmHg"
        if values.get("heart_rate") is not None:
            text += ", " + _("pulse %(value)s /min", value=messages.number(values["heart_rate"], 0))
        return text
    spec = mtype.primary
    return f"{messages.number(values['value'], spec.decimals)} {unit_symbol(mtype.unit)}".strip()


def source_word(source: str) -> str:
    return {
        Source.ENTERED: _("Entered by you"),
        Source.CSV: _("From a device file"),
        Source.IMPORTED: _("From your care provider"),
    }.get(source, source)


# A day and a time to the minute (#18: "3 dec 2026, 06:58", not "06:58:00"): a home reading has no seconds.
WHEN_FORMAT = "d MMM y, HH:mm"


def when_text(moment: datetime) -> str:
    return format_datetime(local(moment), WHEN_FORMAT, locale=current_locale())


def entered_by_texts(*, session: Session, measurements: Iterable[Measurement]) -> dict[int, str]:
    """'Entered by Piet for Anna.' for each measurement a helper entered for the patient (#21), by its id; one
    query for the names of all of them."""
    wanted = [m for m in measurements if m.entered_by_id is not None]
    if not wanted:
        return {}
    ids = {m.entered_by_id for m in wanted} | {m.user_id for m in wanted}
    names = {u.id: u.name or u.email for u in session.exec(select(User).where(col(User.id).in_(ids))).all()}
    return {
        m.id: _(
            "Entered by %(helper)s for %(patient)s.",
            helper=names.get(m.entered_by_id, ""),
            patient=names.get(m.user_id, ""),
        )  # fmt: skip
        for m in wanted
    }


def row_for(
    measurement: Measurement, mtype: MeasurementType, entered_by: Mapping[int, str] | None = None
) -> HistoryRow:
    """One table row; ``entered_by``: the texts of ``entered_by_texts`` for rows a helper entered."""
    severity = Severity(measurement.severity)
    return HistoryRow(
        measurement_id=measurement.id or 0,
        when=when_text(measurement.measured_at),
        value=value_text(mtype, measurement.values, measurement.note),
        source=(entered_by or {}).get(measurement.id or 0) or source_word(measurement.source),
        source_ref=measurement.source_ref,
        note=measurement.note,
        flagged=measurement.flagged,
        severity=severity,
        severity_word=severity_word(severity),
    )


def _with_sent(session: Session, user_id: int, rows: list[HistoryRow]) -> list[HistoryRow]:
    """Each row says whether and when it was sent to a care provider (#20)."""
    from dataclasses import replace

    from pgo.providers.sending import sent_states

    sent = sent_states(session=session, user_id=user_id, kind="measurement", keys=[str(r.measurement_id) for r in rows])
    if not sent:
        return rows

    def text(state) -> str:
        if state.sent_at:
            return _("Sent to %(provider)s on %(when)s.", provider=state.provider_name, when=when_text(state.sent_at))
        return _("Waiting to be sent to %(provider)s.", provider=state.provider_name)

    return [replace(r, sent=" ".join(text(i) for i in sent.get(str(r.measurement_id), []))) for r in rows]


def _period_words(period: str) -> tuple[str, str]:
    return {
        "week": (_("this week"), _("last week")),
        "month": (_("this month"), _("last month")),
        "year": (_("this year"), _("last year")),
        LAST_30_DAYS: (_("in the last 30 days"), _("the 30 days before")),
    }[period]


def mean_text(mtype: MeasurementType, stats: dict[str, FieldStats]) -> str:
    """The period's mean in figures and unit ("134/83 mmHg")."""
    return _mean_text(mtype, stats)


def _mean_text(mtype: MeasurementType, stats: dict[str, FieldStats]) -> str:
    if mtype.key == "blood_pressure":
        return f"{messages.number(stats['systolic'].mean, 0)}/{messages.number(stats['diastolic'].mean, 0)} mmHg"
    return f"{messages.number(stats['value'].mean, mtype.primary.decimals)} {unit_symbol(mtype.unit)}".strip()


def summary_text(mtype: MeasurementType, period: str, stats: dict, previous: dict, level: str, count: int) -> str:
    """An accessible summary: "Your average this week was 142/88 mmHg, higher than last week." """
    this, last = _period_words(period)
    if mtype.is_note:
        return ngettext("You wrote %(num)s note %(period)s.", "You wrote %(num)s notes %(period)s.", count, period=this)
    primary = mtype.primary.name
    if primary not in stats:
        return _("No measurements %(period)s.", period=this)
    args = {"period": this, "value": _mean_text(mtype, stats), "previous": last}
    if primary not in previous:
        text = _("Your average %(period)s was %(value)s.", **args)
    else:
        now, before = stats[primary].mean, previous[primary].mean
        if abs(now - before) <= 0.02 * abs(before):
            text = _("Your average %(period)s was %(value)s, about the same as %(previous)s.", **args)
        elif now > before:
            text = _("Your average %(period)s was %(value)s, higher than %(previous)s.", **args)
        else:
            text = _("Your average %(period)s was %(value)s, lower than %(previous)s.", **args)
    if level == ReadingLevel.DETAILED:
        low, high = stats[primary].low, stats[primary].high
        decimals = mtype.primary.decimals
        text += " " + ngettext(
            "%(num)s measurement, from %(low)s to %(high)s.",
            "%(num)s measurements, from %(low)s to %(high)s.",
            stats[primary].count,
            low=messages.number(low, decimals),
            high=messages.number(high, decimals),
        )
    return text


def bands_for(
    *,
    session: Session,
    user_id: int,
    mtype: MeasurementType,
    today: date,
    rules: list[ThresholdRule] | None = None,
    clinical: bool = False,
) -> list[Band]:
    """The threshold bands to draw: personal rules if there are any, otherwise the general ones. ``rules``: the
    person's rules for this type today, when the caller already has them; ``clinical``: labelled in a clinician's
    words (#18)."""
    word = clinical_severity_word if clinical else severity_word
    if rules is None:
        rules = personal_rules(session=session, user_id=user_id, type=mtype.key, today=today)
    found = [(r.field_name, r.direction, r.limit_value, Severity(r.severity)) for r in rules] or [
        (g.field_name, g.direction, g.limit_value, g.severity) for g in GENERAL_RULES if g.type == mtype.key
    ]
    bands = []
    for name, direction, limit_value, severity in found:
        if name == "heart_rate" and mtype.key == "blood_pressure":
            continue  # pulse has its own scale; its limits would squash the pressure chart
        sign = "≥" if direction == "above" else "<"
        label = f"{mtype.field(name).label} {sign} {messages.number(limit_value)}: {word(severity)}"
        bands.append(Band(limit_value, direction, severity, label))
    return bands


def _step(newer: float, older: float) -> str:
    if abs(newer - older) <= SAME_WITHIN * abs(older):
        return "same"
    return "up" if newer > older else "down"


def _reading_text(mtype: MeasurementType, values: dict) -> str:
    if mtype.key == "blood_pressure":
        return f"{messages.number(values['systolic'], 0)}/{messages.number(values['diastolic'], 0)} mmHg"
    unit = unit_symbol(mtype.unit)
    return f"{messages.number(values[mtype.primary.name], mtype.primary.decimals)} {unit}".strip()


def simple_trend(mtype: MeasurementType, newest_first: list[Measurement]) -> SimpleTrend | None:
    """The last readings and their direction in words, by the type's main value (the upper pressure): the newest
    against the oldest of them."""
    primary = mtype.primary.name
    readings = [m for m in reversed(newest_first) if isinstance(m.values.get(primary), int | float)]
    if not readings:
        return None
    numbers = [float(m.values[primary]) for m in readings]
    steps = [""] + [_step(newer, older) for older, newer in zip(numbers, numbers[1:], strict=False)]
    values = tuple(
        (when_text(m.measured_at), _reading_text(mtype, m.values), step)
        for m, step in zip(readings, steps, strict=True)
    )
    field = str(mtype.label).lower()
    if len(numbers) == 1:
        direction = _("One measurement so far: there is no direction yet.")
    else:
        words = {
            "up": _("Your %(field)s went up over your last %(num)s measurements."),
            "down": _("Your %(field)s went down over your last %(num)s measurements."),
            "same": _("Your %(field)s stayed about the same over your last %(num)s measurements."),
        }
        direction = words[_step(numbers[-1], numbers[0])] % {"field": field, "num": len(numbers)}
    return SimpleTrend(values, direction)


def _last_before(session: Session, user_id: int, mtype: MeasurementType, start: date) -> str:
    """The last reading before ``start`` (one index seek), as "150/95 mmHg, 2 okt 2026, 08:00"; "" if none."""
    found = session.exec(
        select(Measurement)
        .where(
            Measurement.user_id == user_id,
            Measurement.type == mtype.key,
            Measurement.measured_at < day_start_utc(start),
        )
        .order_by(col(Measurement.measured_at).desc(), col(Measurement.id).desc())
        .limit(1)
    ).first()
    if found is None or mtype.is_note or not isinstance(found.values.get(mtype.primary.name), int | float):
        return ""
    return f"{_reading_text(mtype, found.values)}, {when_text(found.measured_at)}"


def clinical_summary_text(history: History) -> str:
    """The period's figures in a clinician's words (#18), not the patient's ("Your average..."): the mean, the
    number of readings, their range, and the mean of the period before."""
    mtype = get_type(history.type)
    primary = mtype.primary.name
    if mtype.is_note:
        return ngettext("%(num)s note.", "%(num)s notes.", history.total)
    if primary not in history.stats:
        text = _("No readings.")
        return text + (" " + _("Last reading before: %(reading)s.", reading=history.before) if history.before else "")
    stats = history.stats[primary]
    text = ngettext(
        "Mean %(mean)s, %(num)s reading (%(field)s %(low)s to %(high)s).",
        "Mean %(mean)s, %(num)s readings (%(field)s %(low)s to %(high)s).",
        stats.count,
        mean=_mean_text(mtype, history.stats),
        field=str(mtype.primary.label).lower(),
        low=messages.number(stats.low, mtype.primary.decimals),
        high=messages.number(stats.high, mtype.primary.decimals),
    )
    if primary in history.previous_stats:
        text += " " + _(
            "%(period)s: mean %(mean)s.",
            period=_period_words(history.period)[1].capitalize(),
            mean=_mean_text(mtype, history.previous_stats),
        )
    if history.before:
        text += " " + _("Last reading before: %(reading)s.", reading=history.before)
    return text


ROWS_PER_PAGE = 50


def measurement_history(
    *,
    session: Session,
    user_id: int,
    type: str,
    period: str,
    today: date,
    lang: str = "nl",
    level: str = ReadingLevel.STANDARD,
    with_rows: bool = True,
    page: int = 1,
    per_page: int = ROWS_PER_PAGE,
    rules: list[ThresholdRule] | None = None,
    variants: bool = False,
    for_clinician: bool = False,
    simple: bool = False,
) -> History:
    """Figures, a text summary and an SVG chart for one type over a calendar period, with one page of the
    table's rows (newest first; ``with_rows=False``: no rows, for a page that shows only summary and chart).
    The figures and the chart cover the whole period; only the table is paged, so a year of twice-daily
    readings does not make a page of 700 rows. ``rules``: the person's limits for this type today, when the
    caller has read them for several types at once. ``variants``: also the chart at several widths with text as
    large as the body text (``chart_variants``), for a page a person reads on any screen. ``for_clinician``: the
    summary in a clinician's words (#18). ``simple``: also the simplified view's chart (``simple``)."""
    mtype = get_type(type)
    start, end = period_bounds(period, today)
    previous_start, _previous_end = period_bounds(period, start - timedelta(days=1))
    with use_locale(lang):
        history = History(mtype.key, str(mtype.label), period, start, end)
        buckets = period_buckets(
            session=session, user_id=user_id, type=mtype.key, field_names=mtype.field_names, start=start, end=end
        )
        history.total, history.stats = figures_of(buckets, mtype.field_names)
        history.pages = max(1, -(-history.total // per_page))
        history.page = min(max(1, page), history.pages)
        if with_rows and history.total:
            shown = newest_between(
                session=session, user_id=user_id, type=mtype.key, start=start, end=end,
                offset=(history.page - 1) * per_page, limit=per_page,
            )  # fmt: skip
            entered_by = entered_by_texts(session=session, measurements=shown)
            history.rows = _with_sent(session, user_id, [row_for(m, mtype, entered_by) for m in shown])
        history.previous_stats = period_statistics(
            session=session, user_id=user_id, mtype=mtype, start=previous_start, end=start
        )
        if for_clinician:
            history.before = _last_before(session, user_id, mtype, start)
        history.summary = (
            clinical_summary_text(history)
            if for_clinician
            else summary_text(mtype, period, history.stats, history.previous_stats, level, history.total)
        )
        if simple and not mtype.is_note and history.total:
            last = newest_between(
                session=session, user_id=user_id, type=mtype.key, start=start, end=end, offset=0, limit=SIMPLE_VALUES
            )
            history.simple = simple_trend(mtype, last)
        if not mtype.is_note:
            draw, legend = _chart(session, user_id, mtype, history, buckets, today, lang, rules, for_clinician)
            history.chart_svg = draw(Frame(), "")
            if variants:
                history.chart_variants = tuple(
                    (width, draw(Frame(width, VARIANT_FONT, narrow=True, legend=False), f"-w{width}"))
                    for width in VARIANT_WIDTHS
                )
                history.chart_legend = legend
    return history


def _chart_fields(mtype: MeasurementType) -> tuple[str, ...]:
    if mtype.key == "blood_pressure":
        return tuple(n for n in mtype.field_names if n != "heart_rate")
    return ("value",)


def _series_label(mtype: MeasurementType, name: str, per: str) -> str:
    label = str(mtype.field(name).label)
    if per == "day":
        return _("%(field)s, daily average", field=label)
    if per == "week":
        return _("%(field)s, weekly average", field=label)
    return label


def _chart_description(history: History, found: ChartPoints) -> str:
    parts = [history.summary]
    if found.per == "day":
        parts.append(_("Each point is the average of one day's measurements."))
    elif found.per == "week":
        parts.append(_("Each point is the average of one week's measurements."))
    if found.per and found.all_flagged:
        parts.append(_("Measurements outside your limits are marked with a diamond, one by one."))
    elif found.per:
        parts.append(
            _(
                "The newest %(count)s measurements outside your limits are marked with a diamond, one by one.",
                count=MAX_FLAGGED_DRAWN,
            )
        )
    parts.append(_("The table below shows every measurement."))
    return " ".join(parts)


def _chart(session, user_id, mtype, history: History, buckets, today: date, lang: str, rules=None, clinical=False):
    """The period's chart: every reading while there are few, otherwise the means per day or week, with the
    flagged readings one by one (``pgo.measurements.trend``). Returns ``draw(frame, id_suffix)`` (the points are
    read once, the chart drawn for each size asked) and the legend as text."""
    found = chart_points(
        session=session, user_id=user_id, type=mtype.key, field_names=_chart_fields(mtype),
        start=history.start, end=history.end, buckets=buckets,
    )  # fmt: skip
    series = [
        Series(name, _series_label(mtype, name, found.per), points, found.flagged.get(name, ()))
        for name, points in found.points.items()
    ]
    bands = bands_for(session=session, user_id=user_id, mtype=mtype, today=today, rules=rules, clinical=clinical)
    title = _("%(type)s, %(period)s", type=history.type_label, period=_period_words(history.period)[0])
    description = _chart_description(history, found)
    flagged_label = _("Outside the patient's limits") if clinical else _("Outside your limits")

    def draw(frame: Frame, id_suffix: str) -> str:
        return trend_chart_svg(
            series=series, bands=bands, start=day_start_utc(history.start), end=day_start_utc(history.end),
            title=title, description=description, unit=unit_symbol(mtype.unit), lang=lang,
            id_prefix=f"trend-{mtype.key}{id_suffix}", flagged_label=flagged_label, frame=frame,
        )  # fmt: skip

    legend = legend_swatches(
        series_labels=[item.label for item in series], bands=bands,
        flagged_label=flagged_label if any(item.flagged for item in series) else "", prefix=f"legend-{mtype.key}",
    )  # fmt: skip
    return draw, legend
