"""Recognise stored records again after the catalogue or its tables changed (issue #15, 2026-12-03).

Import stores each record's concept (``RecordEntry.concept_id`` and ``concept_how``); this brings those up to date
from the stored codings and titles, without importing anything again. Only rows whose concept changed are written.
It runs by `pgo catalogue recognise --stored`, and at start-up (`pgo serve`, or an app that migrates on start) when
the catalogue's data files changed since the database's records were last recognised.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pgo.clock import utcnow
from pgo.literacy import recognition, recognition_names
from pgo.literacy.catalogue import CATALOGUE_DIR
from pgo.literacy.recognition import recognise_record
from pgo.records.models import RecognitionState, RecordCoding, RecordEntry
from pgo.records.revision import raise_revision

BATCH = 2_000


def recognise_stored(session: Session) -> tuple[int, int]:
    """(records read, records changed). The caller commits."""
    read = changed = 0
    last_id = 0
    people: set[int] = set()
    while True:
        entries = session.execute(
            select(RecordEntry.id, RecordEntry.user_id, RecordEntry.category, RecordEntry.details, RecordEntry.title,
                   RecordEntry.concept_id, RecordEntry.concept_how)
            .where(RecordEntry.id > last_id, RecordEntry.category != "patient")
            .order_by(RecordEntry.id)
            .limit(BATCH)
        ).all()  # fmt: skip
        if not entries:
            for user_id in sorted(people):  # their kept record pages show the old explanations: render them anew
                raise_revision(session=session, user_id=user_id)
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
                people.add(entry.user_id)


@cache
def catalogue_version(folder: Path = CATALOGUE_DIR) -> str:
    """A digest of the catalogue's data files (entries and recognition tables) and of the matcher's code: it changes
    when any of them does, so that a better matcher recognises stored records again too."""
    digest = hashlib.sha256()
    matcher = [Path(recognition.__file__), Path(recognition_names.__file__)]
    for path in [*sorted([*folder.glob("*.yaml"), *folder.glob("*.tsv")]), *matcher]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def recognise_if_changed(engine: Engine, *, version: str | None = None) -> tuple[int, int] | None:
    """At start-up: recognise the stored records again when the catalogue changed since the last time (issue #15,
    2026-12-03). (records read, records changed), or None when the records are already up to date. The version
    is kept in the database, in the same transaction as the records it describes."""
    version = version or catalogue_version()
    with Session(engine) as session:
        state = session.get(RecognitionState, 1)
        if state is not None and state.catalogue_version == version:
            return None
        counts = recognise_stored(session)
        state = state or RecognitionState(id=1, catalogue_version=version)
        state.catalogue_version, state.recognised_at = version, utcnow()
        session.add(state)
        session.commit()
    return counts


def on_start(engine: Engine, start) -> None:
    """The start step (pgo.features, #19 2026-12-03): recognise again when the catalogue changed (#15), when the
    start asks for it (the app that migrates on start, `pgo serve`)."""
    if not start.recognise:
        return
    counts = recognise_if_changed(engine)
    if counts is not None and counts[0]:
        start.say(f"the catalogue changed: {counts[0]} records recognised again, {counts[1]} changed")
