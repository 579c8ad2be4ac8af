"""What the clinician's pages ask about a patient's measurements (#19): the clinic asks, this feature reads its
tables. Whether the clinician may see the patient is decided by the caller before it asks."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import String, bindparam, exists, literal, union_all
from sqlmodel import Session, col, func, select

from pgo.measurements.models import Measurement
from pgo.measurements.types import TYPES


def types_measured_since(*, session: Session, patient_id: int, since: datetime) -> list[str]:
    """The measurement types with a reading at or after ``since``."""
    return list(session.execute(_types_measured_query(), {"user_id": patient_id, "since": since}).scalars().all())


@lru_cache(maxsize=1)
def _types_measured_query():
    """One index seek per known type (SELECT DISTINCT read every reading the person ever made). Built once."""
    return union_all(
        *(
            select(literal(key, String).label("type")).where(
                exists().where(
                    Measurement.user_id == bindparam("user_id"),
                    Measurement.type == key,
                    Measurement.measured_at >= bindparam("since"),
                )
            )
            for key in TYPES
        )
    )


def entered_since(*, session: Session, patient_id: int, since: datetime) -> int:
    """How many readings were entered after ``since``."""
    statement = (
        select(func.count())
        .select_from(Measurement)
        .where(Measurement.user_id == patient_id, Measurement.entered_at > since)
    )
    return int(session.exec(statement).one())


def flagged_counts(*, session: Session, patient_ids: list[int], since: datetime) -> dict[int, int]:
    """How many flagged readings each of these patients has measured since ``since`` (one query for a page)."""
    if not patient_ids:
        return {}
    rows = session.exec(
        select(Measurement.user_id, func.count())
        .where(col(Measurement.user_id).in_(patient_ids), Measurement.flagged, Measurement.measured_at >= since)
        .group_by(col(Measurement.user_id))
    ).all()
    return dict(rows)
