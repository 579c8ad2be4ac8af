"""What the clinician's pages ask about a patient's records (#19): the clinic asks, this feature reads its tables.
Whether the clinician may see the patient is decided by the caller before it asks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from pgo.records.models import RecordEntry


def problems(*, session: Session, patient_id: int, limit: int) -> list[RecordEntry]:
    """Active problems first, then the others, each newest first."""
    return list(
        session.exec(
            select(RecordEntry)
            .where(RecordEntry.user_id == patient_id, RecordEntry.category == "problem")
            .order_by(
                col(RecordEntry.is_current).desc(),
                col(RecordEntry.effective_at).desc().nulls_last(),
                col(RecordEntry.id).desc(),
            )
            .limit(limit)
        ).all()
    )


def latest_result(*, session: Session, patient_id: int, code_keys: Sequence[str]) -> RecordEntry | None:
    """The newest result with one of these codes (``system|code``)."""
    return session.exec(
        select(RecordEntry)
        .where(
            RecordEntry.user_id == patient_id,
            RecordEntry.category == "result",
            col(RecordEntry.code_key).in_(list(code_keys)),
        )
        .order_by(col(RecordEntry.effective_at).desc().nulls_last(), col(RecordEntry.id).desc())
        .limit(1)
    ).first()


def created_since(*, session: Session, patient_id: int, since: datetime) -> int:
    """How many records arrived after ``since``."""
    statement = (
        select(func.count())
        .select_from(RecordEntry)
        .where(RecordEntry.user_id == patient_id, RecordEntry.created_at > since)
    )
    return int(session.exec(statement).one())
