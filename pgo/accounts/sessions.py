"""Server-side sign-in sessions: rotated on every sign-in, ended on sign-out, expired after inactivity.

The browser's cookie holds a random token; only its SHA-256 is stored, so a copy of the database does not
let anyone sign in. Several app processes share the database, so they share the sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, delete, select

from pgo.accounts.models import SignInSession, User
from pgo.clock import as_utc, utcnow

# Writing last_seen on every request would turn every page view into a write; a minute is precise enough.
TOUCH_INTERVAL = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(*, session: Session, user: User) -> str:
    """A new session for ``user``; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(SignInSession(token_hash=_digest(token), user_id=user.id))
    session.flush()
    return token


# Every signed-in request asks this: built once, the session and its person in one statement.
_SESSION_AND_USER = (
    select(SignInSession, User)
    .join(User, User.id == SignInSession.user_id)
    .where(SignInSession.token_hash == bindparam("digest"))
)


@dataclass(frozen=True)
class Resumed:
    user: User
    touched: bool  # the session's last activity was moved to now (at most once per TOUCH_INTERVAL)


def resume_session(*, session: Session, token: str, idle: timedelta, now: datetime | None = None) -> Resumed | None:
    """The user of a valid session, refreshing its activity; None (and the session ended) when idle too long."""
    now = now or utcnow()
    found = session.exec(_SESSION_AND_USER, params={"digest": _digest(token)}).first()
    if found is None:
        return None
    record, user = found
    if now - as_utc(record.last_seen_at) > idle:
        session.delete(record)
        session.commit()
        return None
    touched = now - as_utc(record.last_seen_at) > TOUCH_INTERVAL
    if touched:
        record.last_seen_at = now
        session.add(record)
        session.commit()
    return Resumed(user, touched)


def end_session(*, session: Session, token: str) -> None:
    session.exec(delete(SignInSession).where(SignInSession.token_hash == _digest(token)))


def end_other_sessions(*, session: Session, user: User, keep_token: str | None = None) -> None:
    """Sign out every other browser of ``user`` (after a password change)."""
    statement = delete(SignInSession).where(SignInSession.user_id == user.id)
    if keep_token:
        statement = statement.where(SignInSession.token_hash != _digest(keep_token))
    session.exec(statement)


def prune_expired(*, session: Session, idle: timedelta, now: datetime | None = None) -> int:
    cutoff = (now or utcnow()) - idle
    result = session.exec(delete(SignInSession).where(SignInSession.last_seen_at < cutoff))
    return result.rowcount or 0
