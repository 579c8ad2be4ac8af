"""The revision of a person's records: raised by every import that stores or links something, read by pages
that keep their rendered text per revision (pgo.web.fragments)."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from pgo.records.models import RecordRevision

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# Every record page asks this before anything else (also when it is kept): a plain statement built once, no ORM
# (about 25 instead of 130 us a request).
_TABLE = RecordRevision.__table__
_CURRENT = select(_TABLE.c.revision).where(_TABLE.c.user_id == bindparam("user_id"))


def current(*, session: Session, user_id: int) -> int:
    return session.execute(_CURRENT, {"user_id": user_id}).scalar() or 0


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
