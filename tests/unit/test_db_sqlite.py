"""SQLite connections: their pragmas, and transactions that begin at the first write and wait for other writers."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from pgo.accounts.models import User


@pytest.fixture
def sqlite_engine(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (note TEXT)")
    return engine


def _count(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM scratch").scalar_one()


def _other_writer_holds_the_lock(path: str, seconds: float) -> threading.Thread:
    """Another connection that writes, holding the write lock for ``seconds`` before it commits."""
    locked = threading.Event()

    def write() -> None:
        other = sqlite3.connect(path, isolation_level=None, timeout=5)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO scratch VALUES ('other')")
            locked.set()
            time.sleep(seconds)
            other.execute("COMMIT")
        finally:
            locked.set()
            other.close()

    thread = threading.Thread(target=write)
    thread.start()
    locked.wait(5)
    return thread


def test_every_connection_gets_its_pragmas_outside_a_transaction(sqlite_engine):
    with Session(sqlite_engine) as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert not connection.connection.dbapi_connection.in_transaction  # reading takes no lock


def test_a_transaction_that_read_first_waits_for_another_writer_instead_of_failing(sqlite_engine):
    """A plain BEGIN would make this a reading transaction, which SQLite cannot turn into a writing one while
    another connection writes: 'database is locked' at once, without the busy timeout."""
    with Session(sqlite_engine) as session:
        assert session.execute(select(func.count()).select_from(User)).scalar_one() == 0
        writer = _other_writer_holds_the_lock(sqlite_engine.url.database, 0.5)
        with session.begin_nested():
            session.execute(text("INSERT INTO scratch VALUES ('mine')"))
        session.commit()
        writer.join()
    assert _count(sqlite_engine) == 2


def test_a_savepoint_is_inside_a_transaction_that_a_rollback_undoes(sqlite_engine):
    with Session(sqlite_engine) as session:
        with session.begin_nested():
            session.execute(text("INSERT INTO scratch VALUES ('mine')"))
        assert session.connection().connection.dbapi_connection.in_transaction
        session.rollback()
    assert _count(sqlite_engine) == 0


def test_autocommit_asked_for_explicitly_stays_autocommit(sqlite_engine):
    with sqlite_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("INSERT INTO scratch VALUES ('mine')")
        assert not connection.connection.dbapi_connection.in_transaction
    assert _count(sqlite_engine) == 1


def _sqlite_temp_files() -> list[str]:
    """SQLite's open temporary files (named etilqs_*, deleted at once but open while in use)."""
    fds = Path("/proc/self/fd")
    links = []
    for fd in fds.iterdir():
        try:
            links.append(os.readlink(fd))
        except OSError:
            continue  # closed meanwhile (the listing's own descriptor)
    return [link for link in links if "etilqs_" in link]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads the process's open files from /proc")
def test_statement_journals_stay_in_memory_for_a_multi_row_insert_in_a_savepoint(sqlite_engine):
    """An import's multi-row INSERTs inside its savepoint had SQLite write its statement journal to a temporary file
    once it passed 64 KiB: 73,000 writes (150 MB) for 10,000 resources (issue 8, 2026-11-22)."""
    insert = "INSERT INTO scratch VALUES " + ", ".join(["(?)"] * 500)  # noqa: S608 (placeholders only)
    with sqlite_engine.begin() as connection:
        connection.exec_driver_sql("CREATE UNIQUE INDEX scratch_note ON scratch (note)")
        assert connection.exec_driver_sql("PRAGMA temp_store").scalar_one() == 2  # MEMORY
    opened: list[str] = []
    with Session(sqlite_engine) as session, session.begin(), session.begin_nested():
        for start in range(0, 20_000, 500):
            notes = tuple(f"{n:08d}-" + "x" * 200 for n in range(start, start + 500))
            session.connection().exec_driver_sql(insert, notes)
            opened += _sqlite_temp_files()
    assert opened == []
    assert _count(sqlite_engine) == 20_000
