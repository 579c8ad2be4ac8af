"""The database: engine, sessions and migrations.

SQLite (WAL mode) by default, PostgreSQL through a ``postgresql+psycopg://`` URL. Domain code receives a
``Session`` as a keyword argument and never imports Flask; views get the request session from
``get_session``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from pgo import config

# Statements that neither write nor need a transaction of their own: run as they come, as pysqlite ran them.
_SQLITE_READS = ("SELECT", "PRAGMA", "EXPLAIN", "WITH", "BEGIN", "COMMIT", "ROLLBACK", "END")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        kwargs: dict = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
        else:
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _sqlite_begin_before_writing)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Per-connection settings, run outside any transaction (WAL cannot be switched on inside one). pysqlite's own
    transaction handling is switched off: it sends no BEGIN before a SAVEPOINT, so the RELEASE of an import's
    savepoint committed it, and the caller's rollback could not undo it. ``_sqlite_begin_before_writing`` begins
    instead."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Statement journals in memory: a multi-row INSERT inside a savepoint (every import) keeps the pages it changes
    # in one, which SQLite wrote to a file in /var/tmp past 64 KiB -- 73,000 writes (150 MB) for an import of
    # 10,000 resources. In memory it stays as small as the statement (the process's peak memory did not change).
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _sqlite_begin_before_writing(connection, _cursor, statement: str, *_args) -> None:
    """Begin SQLAlchemy's transaction in SQLite before its first write (SQLAlchemy's recipe for pysqlite and
    SAVEPOINT, with the BEGIN moved from SQLAlchemy's begin to the first write).

    ``BEGIN IMMEDIATE`` takes the write lock at once and waits for it (the busy timeout). A plain ``BEGIN`` at
    SQLAlchemy's begin made most transactions read first: in WAL mode SQLite cannot turn a reading transaction
    into a writing one while another connection writes, and fails at once ("database is locked", no waiting) --
    the load test's parallel readings failed that way. Taking the write lock at every begin instead would make
    read-only requests wait for each other and for a running import. Reads before the first write run on their
    own, as they did under pysqlite; from the first write (or savepoint) on, everything is one transaction that a
    rollback undoes whole."""
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.in_transaction or statement.lstrip()[:8].upper().startswith(_SQLITE_READS):
        return
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return  # asked for explicitly: each statement on its own
    dbapi_connection.execute("BEGIN IMMEDIATE")


def load_models() -> None:
    """Import every table so that ``SQLModel.metadata`` is complete (the tables the feature manifest names)."""
    from pgo import features

    features.load_models()


@lru_cache(maxsize=1)
def open_engine() -> Engine:
    """The configured database, created or migrated to the newest schema, each feature's start step run (what an
    import cut short left behind, #17). The `pgo` command's commands share it (#19, 2026-12-03: from pgo.cli)."""
    from pgo import features

    engine = make_engine(config.from_environment()["PGO_DATABASE_URL"])
    migrate(engine)
    features.start(engine, features.Start())
    return engine


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration. Safe to call on every start."""
    from alembic import command

    load_models()
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def create_all(engine: Engine) -> None:
    """Create every table directly from the models (fresh test databases only, never an existing one)."""
    load_models()
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends without error and rolls back otherwise."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
