"""Fault tests: SIGKILL in the middle of a large import and of a burst of writes; afterwards the database is
whole (no half-written import, no half-written consent change), the access log verifies and work can resume."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
from conftest import ROOT, pgo_command, pgo_env, write_bundle
from helpers import signed_in, toggle_consent
from sqlalchemy import func
from sqlmodel import Session, select

from pgo import db
from pgo.accounts import audit, consent, teams
from pgo.accounts.models import ConsentEvent, ConsentGrant, User
from pgo.accounts.service import create_user
from pgo.records.models import RecordEntry, RecordLink, RecordResource

pytestmark = pytest.mark.slow

RESOURCES = 10_000
PASSWORD = "een-lang-wachtwoord"


def _run(env, *args, timeout=110):
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
    return resources, entries, orphans


def _with_access_log(engine, patient_id):
    """A few access-log entries, so that `pgo audit verify` checks a real chain."""
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


def test_kill_in_the_middle_of_a_large_import(migrated_url, tmp_path):
    env = pgo_env(migrated_url, tmp_path)
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        patient = create_user(session=session, email="anna@example.nl", password=PASSWORD)
    _with_access_log(engine, patient.id)
    bundle = write_bundle(tmp_path / "large.json", RESOURCES)

    running = subprocess.Popen(pgo_command("import", "--user", "anna@example.nl", str(bundle)), env=env, cwd=ROOT)
    time.sleep(2.5)
    was_running = running.poll() is None
    running.kill()  # SIGKILL
    running.wait(timeout=10)
    assert was_running, "the import finished before it could be killed: make the bundle larger"

    resources, entries, orphans = _record_counts(engine, patient.id)
    assert resources in (0, RESOURCES), f"a half-written import: {resources} resources"
    assert entries in (0, RESOURCES)
    assert orphans == 0, "record entries without their resource"
    verify = _run(env, "audit", "verify")
    assert verify.returncode == 0, verify.stderr

    again = _run(env, "import", "--user", "anna@example.nl", str(bundle))
    assert again.returncode == 0, again.stderr[-2000:]
    assert _record_counts(engine, patient.id) == (RESOURCES, RESOURCES, 0)
    assert _run(env, "audit", "verify").returncode == 0
    engine.dispose()


def test_kill_the_server_in_the_middle_of_a_burst_of_writes(migrated_url, server_factory, tmp_path):
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        team = teams.create_team(session=session, name="De Linde")
        people = [
            create_user(session=session, email=f"p{n}@example.nl", password=PASSWORD, name=f"P{n}") for n in range(6)
        ]
        team_id = team.id
    _with_access_log(engine, people[0].id)
    server = server_factory(workers=2)
    browsers = [signed_in(server.url, person.email, PASSWORD) for person in people]
    stop = threading.Event()

    def burst(browser):
        grant = True
        while not stop.is_set():
            try:
                toggle_consent(browser, server.url, team_id, grant)
            except Exception:  # noqa: BLE001  (the server is gone: that is the point)
                return
            grant = not grant

    threads = [threading.Thread(target=burst, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    time.sleep(3)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    with Session(engine) as session:
        for person in people:
            events = session.exec(
                select(ConsentEvent).where(ConsentEvent.user_id == person.id).order_by(ConsentEvent.id)
            ).all()
            actions = [e.action for e in events]
            assert actions == ["grant", "revoke"] * (len(actions) // 2) + ["grant"] * (len(actions) % 2)
            current = session.exec(
                select(ConsentGrant).where(ConsentGrant.user_id == person.id, ConsentGrant.revoked_at.is_(None))
            ).all()
            assert len(current) == len(actions) % 2, "a consent change without its event, or the other way round"
            assert (
                consent.can_view(session=session, clinician_id=person.id, patient_id=person.id, category="measurements")
                is False
            )
        assert session.exec(select(func.count()).select_from(User)).one() == 7
    verify = _run(pgo_env(migrated_url, tmp_path), "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    # the app comes back and takes writes again
    server = server_factory(workers=2)
    browser = signed_in(server.url, people[0].email, PASSWORD)
    assert toggle_consent(browser, server.url, team_id, True).status_code == 302
    engine.dispose()
