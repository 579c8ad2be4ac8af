"""Fixtures every test layer shares: a fresh database per test."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PGO_ARGON2_FAST", "1")

from sqlmodel import Session  # noqa: E402

from pgo import db  # noqa: E402


@pytest.fixture
def engine(tmp_path):
    """A fresh database with the whole schema: SQLite in a temporary folder."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    db.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session
