"""A period's readings counted by the database per local day or week, and the trend chart's points: bounded
in number whatever the number of readings.

``period_buckets`` gives per bucket the readings' count, mean moment and per field count, sum, low and high;
the history's summary figures are combined from them, and so are the chart's means. Up to
``MAX_READINGS_DRAWN`` readings in the period, every reading is a point; more, one point per local day (a week
or a month) or local week (a year) with its mean, so at most 31 or 53 points a series. Readings outside a limit
(flagged) are then drawn one by one besides the means (at most ``MAX_FLAGGED_DRAWN``, the newest), so an
averaged-out high reading still shows.

Day and week are Dutch local ones: the period starts at local midnight, and a reading's local day comes from its
moment in UTC plus the zone's offset, which the statement takes as a CASE over the period's (at most two)
daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Integer, bindparam, case, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, func, select

from pgo.localtime import LOCAL_ZONE, day_start_utc
from pgo.measurements.models import Measurement

MAX_READINGS_DRAWN = 100  # more in a period: one point per day (or week) with its mean
MAX_FLAGGED_DRAWN = 100  # flagged readings drawn one by one besides the means, newest first
DAY = 86_400
WEEK_SHIFT = 3 * DAY  # 1 January 1970 was a Thursday: three days on, weeks start on Monday
_NEVER = datetime(9999, 1, 1, tzinfo=UTC)
# A LIMIT no period reaches. On a subquery it keeps SQLite from flattening the subquery into the aggregate
# around it, which would read each number out of the stored JSON once per aggregate instead of once per row
# (a year of 1,531 readings, three fields, four aggregates: 4.1 ms -> 1.5 ms in Python's sqlite3).
UNFLATTENED = 2**62

Point = tuple[datetime, float]


@dataclass
class ChartPoints:
    """Per field: the points to draw, and the flagged readings to mark. ``per``: "" (every reading), "day" or
    "week" (each point the mean of that stretch)."""

    per: str = ""
    points: dict[str, list[Point]] = field(default_factory=dict)
    flagged: dict[str, list[Point]] = field(default_factory=dict)
    all_flagged: bool = True  # False: the period has more flagged readings than ``MAX_FLAGGED_DRAWN`` (newest drawn)


class epoch_seconds(FunctionElement):  # noqa: N801  (a SQL function, named as SQLAlchemy's are)
    """Seconds since 1970 of a stored UTC moment, as an integer on SQLite (whole seconds) and a number on
    PostgreSQL."""

    name = "epoch_seconds"
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_default(element, compiler, **kw) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


class bucket_number(FunctionElement):  # noqa: N801
    """floor(seconds / width) for a non-negative number of seconds and a whole width: integer division on
    SQLite, FLOOR on PostgreSQL (whose integer cast rounds)."""

    name = "bucket_number"
    inherit_cache = True


@compiles(bucket_number)
def _bucket_default(element, compiler, **kw) -> str:
    seconds, width = list(element.clauses)
    return f"FLOOR(({compiler.process(seconds, **kw)}) / {compiler.process(width, **kw)})"


@compiles(bucket_number, "sqlite")
def _bucket_sqlite(element, compiler, **kw) -> str:
    seconds, width = list(element.clauses)
    return f"(({compiler.process(seconds, **kw)}) / {compiler.process(width, **kw)})"


def _offset_seconds(moment: datetime) -> int:
    return int(moment.astimezone(LOCAL_ZONE).utcoffset().total_seconds())


@lru_cache(maxsize=64)
def offset_changes(start: date, end: date) -> tuple[int, datetime, int, datetime, int]:
    """The zone's offset over [start, end) as (offset, change, offset, change, offset): the UTC moments where it
    changes (padded with a far-off moment) and the offsets before, between and after them."""
    offsets, changes = [_offset_seconds(day_start_utc(start))], []
    day = start
    while day < end:
        later = day + timedelta(days=1)
        if _offset_seconds(day_start_utc(later)) != offsets[-1]:
            moment = next(
                day_start_utc(day) + timedelta(hours=h)
                for h in range(1, 26)
                if _offset_seconds(day_start_utc(day) + timedelta(hours=h)) != offsets[-1]
            )
            changes.append(moment)
            offsets.append(_offset_seconds(moment))
        day = later
    while len(changes) < 2:
        changes.append(_NEVER)
        offsets.append(offsets[-1])
    return offsets[0], changes[0], offsets[1], changes[1], offsets[2]


def _offset():
    """The zone's offset at a reading's moment (parameters: the period's ``offset_changes``)."""
    moment_type = Measurement.__table__.c.measured_at.type
    return case(
        (col(Measurement.measured_at) < bindparam("change_1", type_=moment_type), bindparam("offset_0", type_=Integer)),
        (col(Measurement.measured_at) < bindparam("change_2", type_=moment_type), bindparam("offset_1", type_=Integer)),
        else_=bindparam("offset_2", type_=Integer),
    )


def in_period(query):
    """``query`` limited to one person's type over [start, end): parameters ``user_id``, ``type``, ``start`` and
    ``end``, so that a statement is built once per shape."""
    return query.where(
        Measurement.user_id == bindparam("user_id"),
        Measurement.type == bindparam("type"),
        Measurement.measured_at >= bindparam("start"),
        Measurement.measured_at < bindparam("end"),
    )


def bucket_size(start: date, end: date) -> str:
    """What one bucket of the period [start, end) is: a local "day" (a week, a month) or "week" (a year)."""
    return "week" if (end - start).days > 62 else "day"


@lru_cache(maxsize=32)
def _buckets_query(field_names: tuple[str, ...], per: str):
    """Per bucket: readings, mean moment, and per field count, sum, low and high. Each row's moment and numbers
    are read once, in a subquery kept apart by ``UNFLATTENED``; the bucket is reckoned from them outside."""
    width, shift = (7 * DAY, WEEK_SHIFT) if per == "week" else (DAY, 0)
    numbers = [col(Measurement.values)[name].as_float().label(f"n{i}") for i, name in enumerate(field_names)]
    rows = (
        in_period(
            select(epoch_seconds(col(Measurement.measured_at)).label("moment"), _offset().label("offset"), *numbers)
        )
        .limit(UNFLATTENED)
        .subquery()
    )
    bucket = bucket_number(rows.c.moment + rows.c.offset + literal_column(str(shift)), literal_column(str(width)))
    columns = [func.count(), func.avg(rows.c.moment)]
    for i in range(len(field_names)):
        value = rows.c[f"n{i}"]
        columns += [func.count(value), func.sum(value), func.min(value), func.max(value)]
    return select(bucket.label("bucket"), *columns).group_by(bucket).order_by(bucket)


@dataclass(frozen=True)
class Bucket:
    """One local day's or week's readings: how many, their mean moment, and per field (count, sum, low, high)
    over the readings that have it."""

    moment: datetime
    count: int
    fields: dict[str, tuple[int, float, float, float]]


def period_buckets(
    *, session: Session, user_id: int, type: str, field_names: tuple[str, ...], start: date, end: date
) -> list[Bucket]:
    """The period [start, end) counted by the database per local day or week (``bucket_size``), oldest first:
    one statement over an index range, at most 53 rows back, whatever the number of readings."""
    per = bucket_size(start, end)
    buckets = []
    for _bucket, count, moment, *figures in session.execute(
        _buckets_query(field_names, per), _parameters(user_id, type, start, end)
    ):
        fields = {}
        for i, name in enumerate(field_names):
            n, total, low, high = figures[4 * i : 4 * i + 4]
            if n:
                fields[name] = (int(n), float(total), float(low), float(high))
        buckets.append(Bucket(datetime.fromtimestamp(float(moment), UTC), int(count), fields))
    return buckets


@lru_cache(maxsize=32)
def _readings_query(field_names: tuple[str, ...], flagged_only: bool):
    numbers = [col(Measurement.values)[name].as_float() for name in field_names]
    query = in_period(select(Measurement.measured_at, Measurement.flagged, *numbers))
    if flagged_only:
        query = query.where(col(Measurement.flagged).is_(True))
    return query.order_by(col(Measurement.measured_at).desc(), col(Measurement.id).desc()).limit(bindparam("limit"))


def _parameters(user_id: int, type: str, start: date, end: date, **more) -> dict:
    offset_0, change_1, offset_1, change_2, offset_2 = offset_changes(start, end)
    return {
        "user_id": user_id, "type": type, "start": day_start_utc(start), "end": day_start_utc(end),
        "offset_0": offset_0, "change_1": change_1, "offset_1": offset_1, "change_2": change_2, "offset_2": offset_2,
        **more,
    }  # fmt: skip


def _readings(session, names, parameters, *, flagged_only: bool) -> tuple[dict, dict]:
    """Every reading (or every flagged one), oldest first, as points per field; and the flagged ones."""
    rows = list(session.execute(_readings_query(names, flagged_only), parameters))[::-1]
    points: dict[str, list[Point]] = {name: [] for name in names}
    flagged: dict[str, list[Point]] = {name: [] for name in names}
    for moment, is_flagged, *values in rows:
        for name, value in zip(names, values, strict=True):
            if value is not None:
                points[name].append((moment, float(value)))
                if is_flagged:
                    flagged[name].append((moment, float(value)))
    return points, flagged


def _means(buckets: list[Bucket], names: tuple[str, ...]) -> dict[str, list[Point]]:
    points: dict[str, list[Point]] = {name: [] for name in names}
    for bucket in buckets:
        for name in names:
            if name in bucket.fields:
                count, total, _low, _high = bucket.fields[name]
                points[name].append((bucket.moment, total / count))
    return points


def chart_points(
    *,
    session: Session,
    user_id: int,
    type: str,
    field_names: tuple[str, ...],
    start: date,
    end: date,
    buckets: list[Bucket],
) -> ChartPoints:
    """The points of the period [start, end) for the fields ``field_names``; ``buckets``: the period's
    ``period_buckets``, whose number of readings decides between every reading and their means."""
    total = sum(b.count for b in buckets)
    if not field_names or not total:
        return ChartPoints()
    if total <= MAX_READINGS_DRAWN:
        parameters = _parameters(user_id, type, start, end, limit=MAX_READINGS_DRAWN)
        points, flagged = _readings(session, field_names, parameters, flagged_only=False)
        return ChartPoints("", points, flagged)
    parameters = _parameters(user_id, type, start, end, limit=MAX_FLAGGED_DRAWN + 1)  # one more: are there more?
    _all, flagged = _readings(session, field_names, parameters, flagged_only=True)
    all_flagged = all(len(points) <= MAX_FLAGGED_DRAWN for points in flagged.values())
    if not all_flagged:
        flagged = {name: points[-MAX_FLAGGED_DRAWN:] for name, points in flagged.items()}  # oldest first: newest kept
    return ChartPoints(bucket_size(start, end), _means(buckets, field_names), flagged, all_flagged)
