"""Home measurements to send to a provider (#20, 2026-12-03): one reading, a period, or a plan's readings.

Each reading goes as a self-measurement Observation (LOINC code, UCUM quantity, the patient as performer; the
provider's FHIR version is written when it is sent, see pgo.records.providers.sending.for_version).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from pgo.measurements.fhir import observation_for
from pgo.measurements.models import Measurement
from pgo.measurements.types import TYPES, get_type
from pgo.records.providers.sending import Outgoing

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
