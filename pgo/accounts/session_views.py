"""Who is signed in: the request's user comes from the server-side session named in the signed cookie."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface

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


class IdleSessionCookie(SecureCookieSessionInterface):
    """The signed-in cookie expires when the server-side session would: it is sent again (with a new expiry of
    now + the idle time) when the session's last activity moves, not on every answer. Flask's default signs and
    sends it on every answer; the server moves the activity at most once a minute (``sessions.TOUCH_INTERVAL``),
    so a cookie sent with every answer only expired later than the session it names. The server decides either
    way: an expired session is ended whatever the cookie says."""

    def should_set_cookie(self, app: Flask, session) -> bool:
        return session.modified or (session.permanent and g.get("session_touched", False))


def init_app(app: Flask) -> None:
    app.permanent_session_lifetime = timedelta(minutes=app.config["PGO_SESSION_IDLE_MINUTES"])
    app.session_interface = IdleSessionCookie()

    @app.before_request
    def _load_user() -> None:
        g.user = None
        token = session.get("token")
        if token:
            resumed = sessions.resume_session(session=get_session(), token=token, idle=_idle())
            if resumed is None:
                session.clear()
            else:
                g.user, g.session_touched = resumed.user, resumed.touched

    app.jinja_env.globals["current_user"] = lambda: g.get("user")
