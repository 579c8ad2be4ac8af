"""Home measurements to send to a provider (#20, 2026-12-03): one reading, a period, or a plan's readings.

Each reading goes as a self-measurement Observation (LOINC code, UCUM quantity, the patient as performer; the
provider's FHIR version is written when it is sent, see pgo.providers.sending.for_version).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from pgo.localtime import day_start_utc
from pgo.measurements.fhir import observation_for
from pgo.measurements.models import Measurement
from pgo.measurements.types import TYPES, UnknownMeasurementType, get_type
from pgo.providers.sendables import MEASUREMENTS, Sendable
from pgo.providers.sending import Outgoing, items_by_key

KIND = "measurement"


def outgoing(measurement: Measurement) -> Outgoing:
    """The reading as something to send; ``title`` is its type key (the page words it in the reader's language)."""
    return Outgoing(
        kind=KIND, item_key=str(measurement.id), title=measurement.type, resource=observation_for(measurement)
    )


def sendable(measurement: Measurement) -> bool:
    """A reading with a LOINC code a provider understands (a free note has none)."""
    mtype = get_type(measurement.type)
    return bool(mtype.loinc) and not mtype.is_note


def readings(
    *,
    session: Session,
    user_id: int,
    ids: Iterable[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    types: Iterable[str] | None = None,
    newest: int | None = None,
) -> list[Measurement]:
    """The patient's own readings that can be sent: by id, in a period [start, end), of some types; oldest first
    (``newest``: only that many of the newest, newest first)."""
    query = select(Measurement).where(Measurement.user_id == user_id)
    if ids is not None:
        query = query.where(col(Measurement.id).in_(list(ids)))
    if start is not None:
        query = query.where(Measurement.measured_at >= start)
    if end is not None:
        query = query.where(Measurement.measured_at < end)
    if types is not None:
        query = query.where(col(Measurement.type).in_(list(types)))
    if newest is not None:
        query = query.where(col(Measurement.type).in_([key for key, t in TYPES.items() if t.loinc and not t.is_note]))
        query = query.order_by(col(Measurement.measured_at).desc()).limit(newest)
        return list(session.exec(query))
    return [m for m in session.exec(query.order_by(col(Measurement.measured_at))) if sendable(m)]


def plan_readings(*, session: Session, user_id: int, since: datetime, today) -> list[Measurement]:
    """Readings since ``since`` of the types in the patient's running measurement plans (automatic sending)."""
    from pgo.measurements.plans import running_plans

    types = {plan.type for plan in running_plans(session=session, user_id=user_id, today=today)}
    return readings(session=session, user_id=user_id, start=since, types=types) if types else []


# What this feature has to send, as the outbox asks for it (#19, 2026-12-03: named in pgo.features) --------------

RECENT_READINGS = 10  # the newest readings not yet sent, offered one by one on the sending page


@dataclass(frozen=True)
class ReadingChoice:
    id: int
    label: str
    measured_at: datetime


def choose(
    *, session: Session, user_id: int, provider_id: str, ids=None, start=None, end=None, days=None
) -> list[Outgoing]:
    """The chosen readings: by id, in [start, end), or on the local days ``days`` (first, last) as sendables."""
    if days is not None:
        start, end = day_start_utc(days[0]), day_start_utc(days[1] + timedelta(days=1))
    return [outgoing(m) for m in readings(session=session, user_id=user_id, ids=ids, start=start, end=end)]


def page(*, session: Session, user_id: int, provider_id: str) -> dict[str, Any]:
    """The sending page's newest readings that did not go to this provider yet."""
    newest = readings(session=session, user_id=user_id, newest=RECENT_READINGS * 3)
    queued = items_by_key(session=session, user_id=user_id, kind=KIND, keys=[str(m.id) for m in newest])
    recent = [m for m in newest if not any(i.provider_id == provider_id for i in queued.get(str(m.id), []))]
    return {
        "readings": [ReadingChoice(m.id, str(get_type(m.type).label), m.measured_at) for m in recent[:RECENT_READINGS]]
    }


def title(stored: str) -> str:
    """A sent reading's title is its type key: the type's name in the reader's language."""
    try:
        return str(get_type(stored).label)
    except UnknownMeasurementType:
        return stored


def automatic(*, session: Session, user_id: int, since: datetime, today) -> list[Outgoing]:
    return [outgoing(m) for m in plan_readings(session=session, user_id=user_id, since=since, today=today)]


SENDABLE = Sendable(kind=KIND, category=MEASUREMENTS, choose=choose, page=page, title=title, automatic=automatic)
