"""The access log: hash chain, tamper detection, append-only guards, plain words, concurrent writers, CLI."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text, update
from sqlmodel import select

from pgo import cli, db
from pgo.accounts.access_log import OBJECT_PHRASES, PURPOSE_PHRASES, access_log_for_patient
from pgo.accounts.audit import OBJECTS, PURPOSES, AccessLogError, record_access, record_accesses, verify_chain
from pgo.accounts.models import AccessLogEntry, AccessLogIsAppendOnly, User
from pgo.i18n import use_locale

MARCH_3 = datetime(2026, 3, 3, 10, 15, tzinfo=UTC)


def _log(session, p, *, actor=None, what="view:blood_pressure", purpose="care", team=None, now=MARCH_3):
    actor = actor or p.jansen
    return record_access(
        session=session,
        actor_id=actor.id,
        actor_role=actor.role,
        team_id=(team or p.linde).id,
        patient_id=p.anna.id,
        what=what,
        purpose=purpose,
        now=now,
    )


@pytest.fixture
def logged(session, people):
    """Five committed entries."""
    for i in range(5):
        _log(session, people, now=MARCH_3 + timedelta(minutes=i))
    session.commit()
    return people


def _tamper(engine, *statements):
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def test_chain_verifies_and_patient_self_access_is_not_logged(session, logged):
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.broken_id) == (True, 5, None)
    assert (
        record_access(
            session=session,
            actor_id=logged.anna.id,
            actor_role="patient",
            team_id=None,
            patient_id=logged.anna.id,
            what="view:all",
            purpose="care",
        )
        is None
    )
    entries = session.exec(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()
    assert [e.id for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:], strict=False))


def test_empty_log_verifies(session):
    assert verify_chain(session=session).ok


@pytest.mark.parametrize(
    ("statements", "broken_id", "problem"),
    [
        (["UPDATE access_log_entry SET purpose = 'support' WHERE id = 3"], 3, "hash"),
        (["UPDATE access_log_entry SET at = '2026-01-01 00:00:00.000000' WHERE id = 2"], 2, "hash"),
        (["DELETE FROM access_log_entry WHERE id = 3"], 4, "gap"),
        (["DELETE FROM access_log_entry WHERE id = 5"], 4, "head"),
        (["DELETE FROM access_log_entry WHERE id = 1"], 2, "gap"),
        (  # reorder: swap entries 2 and 4
            [
                "UPDATE access_log_entry SET id = 100 WHERE id = 2",
                "UPDATE access_log_entry SET id = 2 WHERE id = 4",
                "UPDATE access_log_entry SET id = 4 WHERE id = 100",
            ],
            2,
            "link",
        ),
        (["UPDATE access_log_head SET last_hash = 'x'"], 5, "head"),
    ],
)
def test_tampering_is_detected_with_the_entry(engine, session, logged, statements, broken_id, problem):
    _tamper(engine, *statements)
    report = verify_chain(session=session)
    assert (report.ok, report.broken_id, report.problem) == (False, broken_id, problem)
    with use_locale("en"):
        assert str(broken_id) in report.describe()


def test_rewritten_hash_breaks_the_next_link(engine, session, logged):
    from pgo.accounts.audit import entry_digest

    entry = session.get(AccessLogEntry, 2)
    forged = {name: getattr(entry, name) for name in AccessLogEntry.__table__.columns.keys()}  # noqa: SIM118
    forged["purpose"] = "emergency"
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE access_log_entry SET purpose = 'emergency', entry_hash = :h WHERE id = 2"),
            {"h": entry_digest(forged)},
        )
    report = verify_chain(session=session)
    assert (report.ok, report.broken_id, report.problem) == (False, 3, "link")


def test_orm_refuses_update_and_delete(session, logged):
    entry = session.get(AccessLogEntry, 2)
    entry.purpose = "support"
    session.add(entry)
    with pytest.raises(AccessLogIsAppendOnly, match="cannot be changed or deleted"):
        session.flush()
    session.rollback()
    with pytest.raises(AccessLogIsAppendOnly, match="cannot be changed or deleted"):
        session.delete(session.get(AccessLogEntry, 2))
        session.flush()
    session.rollback()
    with pytest.raises(AccessLogIsAppendOnly, match="cannot be changed or deleted"):
        session.exec(update(AccessLogEntry).values(purpose="support"))
    session.rollback()
    assert verify_chain(session=session).ok


def test_unknown_codes_refused(session, people):
    with pytest.raises(AccessLogError, match="unknown access code 'peek:blood_pressure'"):
        _log(session, people, what="peek:blood_pressure")
    with pytest.raises(AccessLogError, match="unknown access code 'view:diary'"):
        _log(session, people, what="view:diary")
    with pytest.raises(AccessLogError, match="unknown purpose 'curiosity'"):
        _log(session, people, purpose="curiosity")


def _log_many(session, p, whats, **kw):
    return record_accesses(
        session=session,
        actor_id=p.jansen.id,
        actor_role=p.jansen.role,
        team_id=p.linde.id,
        patient_id=p.anna.id,
        whats=whats,
        purpose=kw.pop("purpose", "consultation"),
        now=MARCH_3,
        **kw,
    )


def test_several_uses_at_once_are_chained_in_order(session, logged):
    entries = _log_many(session, logged, ["view:measurements", "view:decisions", "view:records"])
    session.commit()
    assert [(e.id, e.what) for e in entries] == [(6, "view:measurements"), (7, "view:decisions"), (8, "view:records")]
    assert [e.prev_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.head_hash) == (True, 8, entries[-1].entry_hash)


def test_several_uses_are_checked_before_any_is_written(session, logged):
    with pytest.raises(AccessLogError, match="unknown access code 'view:diary'"):
        _log_many(session, logged, ["view:measurements", "view:diary"])
    session.rollback()
    assert len(session.exec(select(AccessLogEntry)).all()) == 5
    assert _log_many(session, logged, []) == []
    assert verify_chain(session=session).entries == 5


def test_every_code_has_plain_words():
    assert set(OBJECT_PHRASES) == set(OBJECTS)
    assert set(PURPOSE_PHRASES) == set(PURPOSES)


def test_patient_reads_the_log_in_plain_words(session, people):
    _log(session, people)
    _log(
        session,
        people,
        actor=people.devries,
        team=people.cardio,
        what="export:records",
        purpose="consultation",
        now=datetime(2026, 3, 3, 23, 30, tzinfo=UTC),
    )  # 4 March in Amsterdam
    lines = access_log_for_patient(session=session, patient_id=people.anna.id)
    with use_locale("nl"):
        assert [line.sentence for line in lines] == [
            "Dr. de Vries (Afdeling Cardiologie) exporteerde uw dossiergegevens op 4 maart 2026.",
            "Dr. Jansen (Praktijk De Linde) bekeek uw bloeddruk op 3 maart 2026.",
        ]
        assert lines[1].reason == "Reden: uw zorg."
    with use_locale("en"):
        assert lines[1].sentence == "Dr. Jansen (De Linde practice) viewed your blood pressure on 3 March 2026."
        assert lines[0].reason == "Reason: preparing a consultation with you."
    assert access_log_for_patient(session=session, patient_id=people.bram.id) == []
    assert [x.id for x in access_log_for_patient(session=session, patient_id=people.anna.id, before_id=2)] == [1]


WRITER = textwrap.dedent(
    """
    import sys
    from pgo import db
    from pgo.accounts.audit import record_access
    engine = db.make_engine(sys.argv[1])
    for i in range(int(sys.argv[2])):
        with db.session_scope(engine) as session:
            record_access(session=session, actor_id=int(sys.argv[3]), actor_role="clinician", team_id=None,
                          patient_id=int(sys.argv[4]), what="view:weight", purpose="care", detail=str(i))
    """
)


def test_concurrent_writers_in_several_processes_keep_the_chain_linear(tmp_path, people, session):
    url = str(session.get_bind().url)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, "15", str(people.jansen.id), str(people.anna.id)])
        for _ in range(4)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    report = verify_chain(session=session)
    assert (report.ok, report.entries) == (True, 60)


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("PGO_DATABASE_URL", url)
    cli.open_engine.cache_clear()
    yield cli.open_engine()
    cli.open_engine().dispose()
    cli.open_engine.cache_clear()


def test_cli_exit_codes(cli_db):
    runner = CliRunner()
    result = runner.invoke(cli.main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    with db.session_scope(cli_db) as session:
        clinician, patient = User(email="c@example.nl", role="clinician"), User(email="p@example.nl")
        session.add_all([clinician, patient])
        session.flush()
        for _ in range(3):
            record_access(
                session=session,
                actor_id=clinician.id,
                actor_role="clinician",
                team_id=None,
                patient_id=patient.id,
                what="view:all",
                purpose="care",
            )
    result = runner.invoke(cli.main, ["audit", "verify"])
    assert result.exit_code == 0 and "3" in result.output
    _tamper(cli_db, "UPDATE access_log_entry SET what = 'view:weight' WHERE id = 2")
    result = runner.invoke(cli.main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "2" in result.output
