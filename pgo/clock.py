"""One place for 'now'. Every table stores timezone-aware UTC datetimes (sqlmodel's UTCDateTime)."""

from __future__ import annotations

from datetime import UTC, date, datetime

# One date rule for every entry path (#17, 2026-12-03): the form, the CSV, the plans and the FHIR import refuse
# dates before this day (0001-01-01 and 1850-01-01 were stored; no one living has health data from before 1900).
EARLIEST_DATE = date(1900, 1, 1)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A datetime in UTC; naive input is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def before_earliest(moment: date | datetime) -> bool:
    """Whether a date or moment lies before ``EARLIEST_DATE`` (a moment by its date in its own zone)."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return day < EARLIEST_DATE
