"""Load test (#17, 2026-12-03): while one patient imports 100,000 resources, other patients sign in and save
measurements through `pgo serve` (two gunicorn workers) with no error and a p95 under a second.

Before imports were staged, the import held SQLite's write lock for its whole run: the others' sign-ins and
readings waited 30 s for it and failed with a 500 ("database is locked"). The test measures a bounded window while
the import writes, then kills the import (SIGKILL): nothing of it may be visible afterwards.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
from load_clients import fill_in_reading, post_reading, signed_in, stored_id
from load_setup import CREATININE, HEART_RATE, ROOT, _observation, pgo_command, pgo_env
from sqlalchemy import func, text
from sqlmodel import Session, select

from pgo import db
from pgo.accounts.service import create_user
from pgo.records.models import RecordEntry, RecordResource

pytestmark = pytest.mark.slow

RESOURCES = 100_000
PATIENTS = 6
WINDOW = 25  # seconds of signing in and saving readings while the import writes
P95_LIMIT = 1.0
PASSWORD = "een-lang-wachtwoord"
IMPORTER = "importeur@example.nl"


def write_ndjson(path: Path, count: int) -> Path:
    """``count`` observations, one a line; every tenth a heart rate (it becomes a measurement too)."""
    with path.open("w") as handle:
        for index in range(count):
            kind = HEART_RATE if index % 10 == 0 else CREATININE
            handle.write(json.dumps(_observation(index, kind)) + "\n")
    return path


def _writing(engine) -> bool:
    """Whether another connection holds a write transaction: the import has begun to write its rows."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(engine.url.database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL"
    with engine.connect() as connection:
        return connection.execute(text(query)).scalar() > 0


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []
        self.problems: list[str] = []
        self.saved = 0
        self.signed_in = 0

    def took(self, response: requests.Response, what: str, ok: bool) -> None:
        with self.lock:
            self.seconds.append(response.elapsed.total_seconds())
            if not ok:
                self.problems.append(f"{what}: {response.status_code} after {response.elapsed.total_seconds():.1f} s")

    def p95(self) -> float:
        ordered = sorted(self.seconds) or [float("inf")]
        return ordered[max(0, int(len(ordered) * 0.95) - 1)]

    def median(self) -> float:
        ordered = sorted(self.seconds) or [float("inf")]
        return ordered[len(ordered) // 2]


def _patient(base: str, email: str, delay: float, deadline: float, busy: threading.Event, tally: Tally) -> None:
    """Sign in (a little later for each patient, so that sign-ins fall inside the window), then save readings."""
    time.sleep(delay)
    browser = requests.Session()
    browser.headers["Connection"] = "close"
    try:
        signed_in(base, email, PASSWORD, browser)
    except (AssertionError, requests.RequestException) as error:
        with tally.lock:
            tally.problems.append(f"{email}: sign-in failed: {error}")
        return
    with tally.lock:
        tally.signed_in += 1
    number = 0
    while time.monotonic() < deadline and busy.is_set():
        try:
            reading = fill_in_reading(browser, base, systolic=110 + number % 40, diastolic=70, pulse=60 + number % 30)
            response = post_reading(browser, base, reading)
        except (AssertionError, requests.RequestException) as error:
            with tally.lock:
                tally.problems.append(f"{email}: a reading failed: {error}")
            return
        saved = stored_id(response) is not None
        tally.took(response, f"{email} reading", saved)
        with tally.lock:
            tally.saved += saved
        number += 1


def test_an_import_of_100000_resources_blocks_nobody(migrated_url, server_factory, tmp_path):
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        importer = create_user(session=session, email=IMPORTER, password=PASSWORD)
        emails = [
            create_user(session=session, email=f"p{n}@example.nl", password=PASSWORD).email for n in range(PATIENTS)
        ]
    large = write_ndjson(tmp_path / "large.ndjson", RESOURCES)
    server = server_factory()
    signs_in_at = time.monotonic()
    requests.get(f"{server.url}/sign-in", timeout=30)  # both workers warm before the clock starts

    importing = subprocess.Popen(
        pgo_command("import", "--user", IMPORTER, "--json", str(large)),
        env=pgo_env(migrated_url, tmp_path),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    tally, busy = Tally(), threading.Event()
    try:
        deadline = time.monotonic() + 60
        while importing.poll() is None and not _writing(engine) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert importing.poll() is None, "the import ended before it began to write"
        busy.set()
        watcher = threading.Thread(target=lambda: (importing.wait(), busy.clear()), daemon=True)
        watcher.start()
        window_end = time.monotonic() + WINDOW
        spread = WINDOW / 2 / PATIENTS
        clients = [
            threading.Thread(target=_patient, args=(server.url, email, n * spread, window_end, busy, tally))
            for n, email in enumerate(emails)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=WINDOW + 90)
        still_importing = importing.poll() is None
    finally:
        if importing.poll() is None:
            importing.send_signal(signal.SIGKILL)
        importing.wait(timeout=30)

    print(
        f"\nwhile importing {RESOURCES} resources: {tally.signed_in} sign-ins, {tally.saved} readings saved, "
        f"p95 {tally.p95():.3f} s, median {tally.median():.3f} s, slowest {max(tally.seconds, default=0):.3f} s "
        f"(import still running at the end: {still_importing}; {time.monotonic() - signs_in_at:.0f} s in all)"
    )
    assert tally.problems == [], tally.problems[:5]
    assert tally.signed_in == PATIENTS
    assert tally.saved >= PATIENTS, "too few readings were saved to measure anything"
    assert tally.p95() < P95_LIMIT
    with Session(engine) as session:  # killed mid-way: nothing of the import is visible
        shown = session.exec(select(func.count()).where(RecordResource.user_id == importer.id)).one()
        entries = session.exec(select(func.count()).where(RecordEntry.user_id == importer.id)).one()
    assert (shown, entries) in ((0, 0), (RESOURCES, RESOURCES))
    engine.dispose()
