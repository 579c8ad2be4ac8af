"""Recognise stored records again after the catalogue or its tables changed (issue #15, 2026-12-03).

Import stores each record's concept (``RecordEntry.concept_id`` and ``concept_how``); this brings those up to date
from the stored codings and titles, without importing anything again. Only rows whose concept changed are written.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session

from pgo.literacy.recognition import recognise_record
from pgo.records.models import RecordCoding, RecordEntry

BATCH = 2_000


def recognise_stored(session: Session) -> tuple[int, int]:
    """(records read, records changed). The caller commits."""
    read = changed = 0
    last_id = 0
    while True:
        entries = session.execute(
            select(RecordEntry.id, RecordEntry.category, RecordEntry.details, RecordEntry.title,
                   RecordEntry.concept_id, RecordEntry.concept_how)
            .where(RecordEntry.id > last_id, RecordEntry.category != "patient")
            .order_by(RecordEntry.id)
            .limit(BATCH)
        ).all()  # fmt: skip
        if not entries:
            return read, changed
        last_id = entries[-1].id
        codings: dict[int, list[dict[str, str]]] = {}
        rows = session.execute(
            select(RecordCoding.entry_id, RecordCoding.system, RecordCoding.code, RecordCoding.display)
            .where(RecordCoding.entry_id.in_([e.id for e in entries]))
            .order_by(RecordCoding.id)
        )
        for entry_id, system, code, display in rows:
            codings.setdefault(entry_id, []).append({"system": system, "code": code, "display": display})
        for entry in entries:
            kind = str((entry.details or {}).get("kind", ""))
            found = recognise_record(entry.category, kind, codings.get(entry.id, []), entry.title)
            read += 1
            if (found.entry_id, found.how) != (entry.concept_id, entry.concept_how):
                session.execute(
                    update(RecordEntry)
                    .where(RecordEntry.id == entry.id)
                    .values(concept_id=found.entry_id, concept_how=found.how)
                )
                changed += 1
