"""What the patient summary asks of the records (#19): the summary (pgo.summary) chooses and words, this feature
reads its own tables."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from pgo.records.models import RecordCoding, RecordEntry, RecordProvenance, RecordResource


def _newest_first(statement):
    """Newest first; records of one moment by code and name, so that the choice does not depend on the order
    they were imported in (an imported copy of the summary chooses the same)."""
    return statement.order_by(
        col(RecordEntry.effective_at).desc().nulls_last(), RecordEntry.code_key, RecordEntry.title,
        col(RecordEntry.id).desc(),
    )  # fmt: skip


def entries(*, session: Session, user_id: int, category: str, current: bool | None, limit: int) -> list[RecordEntry]:
    """The person's records of one category, newest first; only current (or only not current) ones when asked."""
    query = select(RecordEntry).where(RecordEntry.user_id == user_id, RecordEntry.category == category)
    if current is not None:
        query = query.where(RecordEntry.is_current == current)
    return list(session.exec(_newest_first(query).limit(limit)).all())


def codings(*, session: Session, entries: list[RecordEntry]) -> dict[int, list[tuple[str, str, str]]]:
    """Each record's codes as sent: (system, code, display), in the order they arrived."""
    ids = [e.id for e in entries if e.id]
    found: dict[int, list[tuple[str, str, str]]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(RecordCoding.entry_id, RecordCoding.system, RecordCoding.code, RecordCoding.display)
        .where(col(RecordCoding.entry_id).in_(ids))
        .order_by(RecordCoding.entry_id, RecordCoding.id)
    )
    for entry_id, system, code, display in rows:
        found.setdefault(entry_id, []).append((system, code, display))
    return found


def source_names(*, session: Session, user_id: int) -> list[str]:
    """Where the person's records came from (each provider or file source once, by name)."""
    return list(
        session.execute(
            select(RecordProvenance.source_name)
            .join(RecordResource, col(RecordResource.id) == RecordProvenance.resource_id)
            .where(RecordResource.user_id == user_id)
            .distinct()
            .order_by(RecordProvenance.source_name)
        ).scalars()
    )


def patient_records(*, session: Session, user_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    """How the providers name the person: (name, birth date as recorded, details with the identifiers) per
    Patient record."""
    rows = session.exec(
        select(RecordEntry.title, RecordEntry.effective_text, RecordEntry.details).where(
            RecordEntry.user_id == user_id, RecordEntry.category == "patient"
        )
    ).all()
    return [(title, when or "", details or {}) for title, when, details in rows]
