"""Local time for people in the Netherlands: forms and device exports give wall-clock time, tables store UTC."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pgo.clock import as_utc

LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def local_to_utc(moment: datetime) -> datetime:
    """A wall-clock time (naive = Dutch local time) as aware UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return as_utc(moment)


def local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(LOCAL_ZONE)


def local_day(moment: datetime) -> date:
    return local(moment).date()


def day_start_utc(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time.min))
