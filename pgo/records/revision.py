"""The revision of a person's records: raised by every import that stores or links something, read by pages
that keep their rendered text per revision (pgo.web.fragments)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from pgo.records.models import RecordRevision

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def current(*, session: Session, user_id: int) -> int:
    found = session.exec(select(RecordRevision.revision).where(RecordRevision.user_id == user_id)).first()
    return found or 0


def raise_revision(*, session: Session, user_id: int) -> None:
    """One more than before, inside the caller's transaction (a refused import raises nothing). An upsert, so
    that two first imports of one person at the same time both count."""
    insert = _INSERT[session.get_bind().dialect.name]
    statement = insert(RecordRevision).values(user_id=user_id, revision=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[RecordRevision.user_id], set_={"revision": RecordRevision.revision + 1}
        )
    )
