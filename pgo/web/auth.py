"""Who is signed in: the request's user comes from the server-side session named in the signed cookie."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, session

from pgo.accounts import sessions
from pgo.accounts.models import User
from pgo.web.database import get_session


def _idle() -> timedelta:
    return timedelta(minutes=current_app.config["PGO_SESSION_IDLE_MINUTES"])


def sign_in(user: User) -> None:
    """Start a fresh session for ``user``: the old cookie's contents are dropped (session rotation)."""
    db = get_session()
    old = session.get("token")
    if old:
        sessions.end_session(session=db, token=old)
    token = sessions.start_session(session=db, user=user)
    db.commit()
    session.clear()
    session["token"] = token
    session.permanent = True
    g.user = user


def sign_out() -> None:
    token = session.get("token")
    if token:
        db = get_session()
        sessions.end_session(session=db, token=token)
        db.commit()
    session.clear()
    g.user = None


def current_token() -> str | None:
    return session.get("token")


def init_app(app: Flask) -> None:
    app.permanent_session_lifetime = timedelta(minutes=app.config["PGO_SESSION_IDLE_MINUTES"])

    @app.before_request
    def _load_user() -> None:
        g.user = None
        token = session.get("token")
        if token:
            g.user = sessions.resume_session(session=get_session(), token=token, idle=_idle())
            if g.user is None:
                session.clear()

    app.jinja_env.globals["current_user"] = lambda: g.get("user")
