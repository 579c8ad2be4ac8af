"""The access log's keyed chain and its anchor (#23, 2026-12-03).

A forger here can write the database (any SQL) but cannot read the key: the chain must show every edit,
deletion, reordering and truncation, also when the forger recomputes hashes the way the old chain made them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from pgo import cli, db
from pgo.accounts import audit
from pgo.accounts.audit import anchor_of, entry_fields, hkdf_sha256, rechain, record_access, verify_chain
from pgo.accounts.models import AccessLogEntry, User

MARCH_3 = datetime(2026, 3, 3, 10, 15, tzinfo=UTC)


def _rows(engine) -> list[dict]:
    with engine.connect() as connection:
        table = AccessLogEntry.__table__
        return [dict(r) for r in connection.execute(select(table).order_by(table.c.id)).mappings()]


def _sha256(row: dict) -> str:
    """A forger's recomputation: the canonical fields hashed without the key (as the chain was before #23)."""
    canonical = json.dumps(entry_fields(row), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _forge_chain(engine, digest, change: dict | None = None, where: int = 3) -> None:
    """Rewrite entry ``where`` with ``change`` and recompute every hash and the head with ``digest``."""
    rows = _rows(engine)
    previous = "0" * 64
    with engine.begin() as connection:
        for row in rows:
            if row["id"] == where and change:
                row.update(change)
            row["prev_hash"] = previous
            row["entry_hash"] = digest(row)
            connection.execute(
                text("UPDATE access_log_entry SET purpose = :p, prev_hash = :prev, entry_hash = :h WHERE id = :id"),
                {"p": row["purpose"], "prev": row["prev_hash"], "h": row["entry_hash"], "id": row["id"]},
            )
            previous = row["entry_hash"]
        connection.execute(text("UPDATE access_log_head SET last_hash = :h"), {"h": previous})


def test_hkdf_matches_rfc_5869_test_case_3():
    """RFC 5869 A.3 (SHA-256, empty salt and info)."""
    okm = hkdf_sha256(bytes.fromhex("0b" * 22), b"", 42)
    assert okm.hex() == ("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")


def test_a_chain_recomputed_with_a_plain_hash_is_caught(engine, session, logged):
    _forge_chain(engine, _sha256, {"purpose": "emergency"})
    report = verify_chain(session=session)
    assert (report.ok, report.broken_id, report.problem) == (False, 1, "unkeyed")


def test_a_chain_recomputed_with_another_key_is_caught(engine, session, logged):
    wrong = hkdf_sha256(b"a guess at the secret key, long enough", audit.KEY_INFO)
    _forge_chain(engine, lambda row: audit.entry_digest(row, wrong), {"purpose": "emergency"})
    report = verify_chain(session=session)
    assert (report.ok, report.broken_id, report.problem) == (False, 1, "hash")


def test_an_entry_rewritten_and_the_next_link_patched_is_caught(engine, session, logged):
    """Even with the key for the changed entry: its successor's hash covers the link it was patched with."""
    row = _rows(engine)[2]  # entry 3
    row["purpose"] = "emergency"
    forged = audit.entry_digest(row)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE access_log_entry SET purpose = 'emergency', entry_hash = :h WHERE id = 3"), {"h": forged}
        )
        connection.execute(text("UPDATE access_log_entry SET prev_hash = :h WHERE id = 4"), {"h": forged})
    report = verify_chain(session=session)
    assert (report.ok, report.broken_id, report.problem) == (False, 4, "hash")


@pytest.mark.parametrize(
    ("statements", "broken_id", "problem"),
    [
        (["UPDATE access_log_entry SET detail = 'x' WHERE id = 2"], 2, "hash"),
        (["DELETE FROM access_log_entry WHERE id = 3"], 4, "gap"),
        (
            [
                "UPDATE access_log_entry SET id = 100 WHERE id = 2",
                "UPDATE access_log_entry SET id = 2 WHERE id = 3",
                "UPDATE access_log_entry SET id = 3 WHERE id = 100",
            ],
            2,
            "link",
        ),
    ],
)
def test_edits_deletions_and_reordering_are_caught(engine, session, logged, statements, broken_id, problem):
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    report = verify_chain(session=session)
    assert (report.ok, report.broken_id, report.problem) == (False, broken_id, problem)


def test_truncation_with_the_head_set_back_is_caught_only_by_the_anchor(engine, session, logged):
    anchor = anchor_of(session=session)
    assert anchor == f"5:{_rows(engine)[4]['entry_hash']}"
    fourth = _rows(engine)[3]["entry_hash"]
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_log_entry WHERE id = 5"))
        connection.execute(text("UPDATE access_log_head SET last_id = 4, last_hash = :h"), {"h": fourth})
    assert verify_chain(session=session).ok  # consistent without the anchor: what the anchor is for
    report = verify_chain(session=session, anchor=anchor)
    assert (report.ok, report.broken_id, report.problem) == (False, 5, "truncated")


def test_an_anchor_holds_while_the_chain_grows_and_catches_a_changed_entry(engine, session, logged):
    anchor = anchor_of(session=session)
    record_access(
        session=session,
        actor_id=logged.jansen.id,
        actor_role="clinician",
        team_id=logged.linde.id,
        patient_id=logged.anna.id,
        what="view:weight",
        purpose="care",
    )
    session.commit()
    assert verify_chain(session=session, anchor=anchor).ok
    other = anchor.split(":")[0] + ":" + "f" * 64
    report = verify_chain(session=session, anchor=other)
    assert (report.ok, report.broken_id, report.problem) == (False, 5, "anchor")


def test_a_plain_chain_from_before_is_rechained_and_a_broken_one_refused(engine, session, logged):
    _forge_chain(engine, _sha256)  # what an old database holds: the same entries, plain hashes
    assert verify_chain(session=session).problem == "unkeyed"
    assert rechain(session=session) == 5
    session.commit()
    assert verify_chain(session=session).ok
    with engine.begin() as connection:
        connection.execute(text("UPDATE access_log_entry SET detail = 'x' WHERE id = 2"))
    with pytest.raises(audit.AccessLogBroken, match="entry 2 is broken"):
        rechain(session=session)


def test_the_key_comes_from_the_key_file_when_one_is_named(tmp_path, monkeypatch):
    key_file = tmp_path / "audit.key"
    key_file.write_bytes(b"k" * 40)
    monkeypatch.setenv("PGO_AUDIT_KEY_FILE", str(key_file))
    from_file = audit.derive_key("the app secret")
    assert from_file == hkdf_sha256(b"k" * 40, audit.KEY_INFO)
    monkeypatch.delenv("PGO_AUDIT_KEY_FILE")
    assert audit.derive_key("the app secret") != from_file
    key_file.write_bytes(b"short")
    monkeypatch.setenv("PGO_AUDIT_KEY_FILE", str(key_file))
    with pytest.raises(audit.AccessLogBroken, match="fewer than 32 bytes"):
        audit.derive_key("the app secret")


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("PGO_DATABASE_URL", url)
    monkeypatch.setenv("PGO_INSTANCE_PATH", str(tmp_path / "instance"))
    cli.open_engine.cache_clear()
    yield cli.open_engine()
    cli.open_engine().dispose()
    cli.open_engine.cache_clear()


def test_cli_anchor_and_verify_with_the_anchor(cli_db):
    runner = CliRunner()
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
    anchored = runner.invoke(cli.main, ["audit", "anchor"])
    assert anchored.exit_code == 0, anchored.output
    anchor = anchored.output.strip()
    assert anchor.startswith("3:")
    assert runner.invoke(cli.main, ["audit", "verify", "--anchor", anchor]).exit_code == 0
    with cli_db.begin() as connection:
        last = connection.execute(text("SELECT entry_hash FROM access_log_entry WHERE id = 2")).scalar_one()
        connection.execute(text("DELETE FROM access_log_entry WHERE id = 3"))
        connection.execute(text("UPDATE access_log_head SET last_id = 2, last_hash = :h"), {"h": last})
    assert runner.invoke(cli.main, ["audit", "verify"]).exit_code == 0
    result = runner.invoke(cli.main, ["audit", "verify", "--anchor", anchor])
    assert result.exit_code == 1
    assert "3" in result.output
    bad = runner.invoke(cli.main, ["audit", "verify", "--anchor", "nonsense"])
    assert bad.exit_code == 2 and "<id>:<64 hex digits>" in bad.output


def test_entry_fields_are_those_of_the_table():
    """The hash covers every column but the hash itself: a new column must be added to entry_fields."""
    covered = set(entry_fields({name: None for name in AccessLogEntry.__table__.columns.keys()} | {"at": MARCH_3}))  # noqa: SIM118
    columns = set(AccessLogEntry.__table__.columns.keys()) - {"entry_hash"}  # noqa: SIM118
    assert covered == (columns - {"user_id"}) | {"patient_id"}
