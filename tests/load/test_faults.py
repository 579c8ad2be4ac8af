"""Fault tests: SIGKILL in the middle of a large import and of a burst of measurement entries through the running
server. Afterwards the database is whole (no half-written import, every stored measurement complete and stored
once), the access log verifies and work resumes: the import runs again to the end, the server takes entries."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from collections import Counter

import pytest
import requests
from load_clients import csrf_of, fill_in_reading, post_reading, signed_in, stored_id
from load_setup import ROOT, SECRET_KEY, pgo_command, pgo_env, write_bundle
from sqlalchemy import func, text
from sqlmodel import Session, select

from pgo import db
from pgo.accounts import audit
from pgo.accounts.service import create_user
from pgo.measurements.models import Measurement, Source
from pgo.records.models import RecordEntry, RecordLink, RecordResource

pytestmark = pytest.mark.slow

RESOURCES = 20_000  # large enough that the (fast) import is still writing when it is killed
VITAL_EVERY = 10  # every tenth resource is a heart rate: RESOURCES // VITAL_EVERY imported measurements
PASSWORD = "een-lang-wachtwoord"
PATIENTS = 6
BURST_LIMIT = 60  # entries per patient at most; the server is killed long before
IMPORT_SECONDS = 240  # upper bound for one whole import on a busy machine


def _run(env, *args, timeout=60):
    return subprocess.run(pgo_command(*args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _record_counts(engine, user_id):
    with Session(engine) as session:
        resources = session.exec(select(func.count()).where(RecordResource.user_id == user_id)).one()
        entries = session.exec(select(func.count()).where(RecordEntry.user_id == user_id)).one()
        orphans = session.exec(
            select(func.count())
            .select_from(RecordEntry)
            .outerjoin(RecordLink, RecordLink.entry_id == RecordEntry.id)
            .where(RecordEntry.user_id == user_id, RecordLink.id.is_(None))
        ).one()
        measurements = session.exec(
            select(Measurement).where(Measurement.user_id == user_id, Measurement.source == Source.IMPORTED)
        ).all()
    return resources, entries, orphans, measurements


def _with_access_log(engine, patient_id):
    """A few access-log entries, so that `pgo audit verify` checks a real chain (keyed as the servers key it)."""
    audit.use_secret(SECRET_KEY)
    with db.session_scope(engine) as session:
        doctor = create_user(session=session, email="doc@example.nl", password=PASSWORD, role="clinician")
        for _ in range(3):
            audit.record_access(
                session=session,
                actor_id=doctor.id,
                actor_role="clinician",
                team_id=None,
                patient_id=patient_id,
                what="view:records",
                purpose="care",
            )


def _someone_is_writing(engine) -> bool:
    """Whether another connection holds an open write transaction (uncommitted rows are invisible otherwise)."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(engine.url.database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
            return False
        except sqlite3.OperationalError:  # database is locked: the import is writing
            return True
        finally:
            probe.close()
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL"
    with engine.connect() as connection:
        return connection.execute(text(query)).scalar() > 0


def _kill_while_writing(process: subprocess.Popen, engine) -> float:
    """SIGKILL half a second after the import began to write; the seconds from its start to the kill."""
    started = time.monotonic()
    deadline = time.monotonic() + IMPORT_SECONDS
    while process.poll() is None and not _someone_is_writing(engine) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)  # into the writing (one transaction of several batches), far from its end
    was_running = process.poll() is None
    process.kill()  # SIGKILL
    process.wait(timeout=10)
    assert was_running, "the import finished before it could be killed: make the bundle larger"
    return time.monotonic() - started


def test_kill_in_the_middle_of_a_large_import(migrated_url, tmp_path):
    env = pgo_env(migrated_url, tmp_path)
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        patient = create_user(session=session, email="anna@example.nl", password=PASSWORD)
    _with_access_log(engine, patient.id)
    bundle = write_bundle(tmp_path / "large.json", RESOURCES, vital_every=VITAL_EVERY)

    running = subprocess.Popen(
        pgo_command("import", "--user", "anna@example.nl", str(bundle)),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        killed_after = _kill_while_writing(running, engine)
    finally:
        if running.poll() is None:
            running.kill()
            running.wait(timeout=10)

    resources, entries, orphans, measurements = _record_counts(engine, patient.id)
    assert resources in (0, RESOURCES), f"a half-written import: {resources} resources"
    assert entries in (0, RESOURCES)
    assert orphans == 0, "record entries without their resource"
    assert len(measurements) == (resources // VITAL_EVERY), "measurements without their import, or the other way"
    verify = _run(env, "audit", "verify")
    assert verify.returncode == 0, verify.stderr

    started = time.monotonic()
    again = _run(env, "import", "--user", "anna@example.nl", str(bundle), timeout=IMPORT_SECONDS)
    took = time.monotonic() - started
    print(f"\nimport: killed after {killed_after:.1f} s with {resources} resources stored; again in {took:.1f} s")
    assert again.returncode == 0, again.stderr[-2000:]
    resources, entries, orphans, measurements = _record_counts(engine, patient.id)
    assert (resources, entries, orphans) == (RESOURCES, RESOURCES, 0)
    assert len(measurements) == RESOURCES // VITAL_EVERY
    assert all(m.values.get("value") is not None for m in measurements)
    assert len({m.idempotency_token for m in measurements}) == len(measurements)
    assert _run(env, "audit", "verify").returncode == 0
    engine.dispose()


class Burst:
    """Patients entering readings as fast as they can; what each sent and what the server confirmed."""

    def __init__(self, base: str, browsers: dict[str, requests.Session]) -> None:
        self.base = base
        self.browsers = browsers
        self.sent: dict[str, dict[str, object]] = {email: {} for email in browsers}  # token -> Reading
        self.confirmed: dict[str, dict[str, int]] = {email: {} for email in browsers}  # token -> id
        self.stop = threading.Event()

    def enter(self, email: str) -> None:
        browser = self.browsers[email]
        for number in range(BURST_LIMIT):
            if self.stop.is_set():
                return
            try:
                reading = fill_in_reading(browser, self.base, systolic=110 + number, diastolic=70, pulse=60 + number)
                self.sent[email][reading.token] = reading
                response = post_reading(browser, self.base, reading)
            except requests.RequestException:  # the server is gone: that is the point
                return
            if (measurement_id := stored_id(response)) is not None:
                self.confirmed[email][reading.token] = measurement_id

    def total_confirmed(self) -> int:
        return sum(len(tokens) for tokens in self.confirmed.values())


def _check_entries(engine, people: dict[str, int], burst: Burst) -> None:
    """Every stored entry was sent, is complete, is there once; every confirmed one is there."""
    with Session(engine) as session:
        for email, user_id in people.items():
            stored = session.exec(
                select(Measurement).where(Measurement.user_id == user_id, Measurement.source == Source.ENTERED)
            ).all()
            tokens = Counter(m.idempotency_token for m in stored)
            assert max(tokens.values(), default=1) == 1, f"{email}: a reading stored twice"
            assert set(tokens) <= set(burst.sent[email]), f"{email}: a reading nobody sent"
            by_token = {m.idempotency_token: m for m in stored}
            for token, measurement_id in burst.confirmed[email].items():
                assert by_token[token].id == measurement_id, f"{email}: a confirmed reading was lost"
            for token, measurement in by_token.items():
                data = burst.sent[email][token].data
                assert measurement.values == {
                    "systolic": int(data["systolic"]),
                    "diastolic": int(data["diastolic"]),
                    "heart_rate": int(data["heart_rate"]),
                }, f"{email}: a half-written reading"


def test_kill_the_server_in_the_middle_of_a_burst_of_entries(migrated_url, server_factory, tmp_path):
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        people = [
            create_user(session=session, email=f"p{n}@example.nl", password=PASSWORD, name=f"P{n}")
            for n in range(PATIENTS)
        ]
        people = {person.email: person.id for person in people}
    _with_access_log(engine, next(iter(people.values())))
    server = server_factory(workers=2)
    burst = Burst(server.url, {email: signed_in(server.url, email, PASSWORD) for email in people})

    threads = [threading.Thread(target=burst.enter, args=(email,)) for email in people]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while burst.total_confirmed() < 3 * PATIENTS and time.monotonic() < deadline:
        time.sleep(0.1)
    server.kill()  # SIGKILL to the gunicorn master and both workers
    burst.stop.set()
    for thread in threads:
        thread.join(timeout=40)
    assert not any(t.is_alive() for t in threads)
    confirmed_before = burst.total_confirmed()
    assert confirmed_before >= 3 * PATIENTS, "the burst had barely started when the server died"
    with pytest.raises(requests.ConnectionError, match=r"refused|aborted|reset|Max retries"):
        requests.get(f"{server.url}/health", timeout=5)

    _check_entries(engine, people, burst)
    verify = _run(pgo_env(migrated_url, tmp_path), "audit", "verify")
    assert verify.returncode == 0, verify.stderr

    # the app comes back: the readings in flight at the kill are sent again (a retry), and new ones are taken
    server = server_factory(workers=2)
    burst.base = server.url
    for email in people:
        browser = signed_in(server.url, email, PASSWORD)
        csrf = csrf_of(browser, server.url)
        for token, reading in burst.sent[email].items():
            if token not in burst.confirmed[email]:
                burst.confirmed[email][token] = stored_id(post_reading(browser, server.url, reading, csrf))
        burst.browsers[email] = browser
        fresh = fill_in_reading(browser, server.url, systolic=125, diastolic=80, pulse=70)
        burst.sent[email][fresh.token] = fresh
        burst.confirmed[email][fresh.token] = stored_id(post_reading(browser, server.url, fresh))
    assert all(None not in tokens.values() for tokens in burst.confirmed.values()), burst.confirmed
    _check_entries(engine, people, burst)
    with Session(engine) as session:
        stored = session.exec(select(func.count()).where(Measurement.source == Source.ENTERED)).one()
    sent = sum(len(tokens) for tokens in burst.sent.values())
    assert stored == sent, "after the retries every reading that was sent is stored exactly once"
    print(f"\nburst: {confirmed_before} readings confirmed before the kill, {sent} sent in all, {stored} stored")
    engine.dispose()
