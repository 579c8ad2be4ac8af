"""Fixtures every test layer shares: a fresh, migrated database per test.

SQLite by default. With PGO_TEST_DATABASE_URL (a PostgreSQL server URL, e.g.
postgresql+psycopg://postgres@127.0.0.1:PORT/postgres, as scripts/postgres.sh starts one) each test gets its own
PostgreSQL database, cloned from a template that was migrated once.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest

os.environ.setdefault("PGO_ARGON2_FAST", "1")
# The access log's chain key (#23) comes from the app's secret: tests without an app, and the processes they start,
# derive it from this one instead of writing a key file into the project's instance folder.
os.environ.setdefault("PGO_SECRET_KEY", "tests-secret-key-for-the-access-log-chain")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from pgo import db  # noqa: E402

POSTGRES_URL = os.environ.get("PGO_TEST_DATABASE_URL", "")

# Hypothesis (#23): the `ci` profile draws the same examples every run and keeps no example database, so a red CI
# run is red again on a rerun; it is the profile whenever CI is set (HYPOTHESIS_PROFILE=ci chooses it locally).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
_hypothesis_settings.register_profile("dev")
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_sessionstart(session) -> None:
    """The compiled catalogues (.mo) are build output, not in git: `make install` compiles them, and so does a
    test run that finds them missing or older than the .po files (plain `pytest` right after a clone)."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    stale = [
        po
        for po in (root / "translations").glob("*/LC_MESSAGES/messages.po")
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        sys.path.insert(0, str(root / "scripts"))
        import translations

        translations.compile_all()


def _admin_engine():
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A database migrated once per run; every test starts from a copy of it."""
    if POSTGRES_URL:
        name = f"pgo_template_{uuid.uuid4().hex[:8]}"
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(POSTGRES_URL).set(database=name)
        engine = db.make_engine(url.render_as_string(hide_password=False))
        db.migrate(engine)
        engine.dispose()
        yield name
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    db.migrate(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    yield path


@pytest.fixture
def database_url(tmp_path, migrated_template):
    """The URL of a fresh database with the whole schema, for this test only."""
    if POSTGRES_URL:
        name = f"pgo_test_{uuid.uuid4().hex[:12]}"
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        return
    target = tmp_path / "pgo.sqlite3"
    shutil.copy(migrated_template, target)
    yield f"sqlite:///{target}"


@pytest.fixture
def engine(database_url):
    engine = db.make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _access_log_key_per_test():
    """Each test starts without the chain key an earlier test's app set (#23): it comes from that test's app, or
    from the environment as it does for ``pgo`` commands and other processes."""
    yield
    from pgo.accounts import audit

    audit._chain_key = None
