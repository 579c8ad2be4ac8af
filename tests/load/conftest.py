"""Load and fault tests: the real `pgo` processes (gunicorn, the import command) on loopback only.

The database is a fresh PostgreSQL database when PGO_TEST_DATABASE_URL is set (scripts/test.sh does), else a
SQLite file. Every test is bounded in clients, requests and time.
"""

from __future__ import annotations

import pytest
from load_setup import Server, pgo_env

from pgo import db


@pytest.fixture
def migrated_url(database_url):
    engine = db.make_engine(database_url)
    db.migrate(engine)
    engine.dispose()
    return database_url


@pytest.fixture
def server_factory(migrated_url, tmp_path):
    started: list[Server] = []

    def start(workers: int = 2) -> Server:
        log = tmp_path / f"serve-{len(started)}.log"
        server = Server(pgo_env(migrated_url, tmp_path), log, workers=workers)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
