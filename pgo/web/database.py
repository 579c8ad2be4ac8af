"""The request's database session: one per request, closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.engine import Engine
from sqlmodel import Session

from pgo.db import make_engine


def init_app(app: Flask) -> None:
    """Attach the engine to the app."""
    app.extensions["pgo_engine"] = make_engine(app.config["PGO_DATABASE_URL"])

    @app.teardown_appcontext
    def _close_session(_exc) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_engine() -> Engine:
    return current_app.extensions["pgo_engine"]


def get_session() -> Session:
    """The current request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session
