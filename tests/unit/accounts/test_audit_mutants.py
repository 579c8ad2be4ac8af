"""The access log's chain, pinned where a quiet change would hurt an auditor (#23, 2026-12-03).

Each test names the behaviour an auditor relies on: the hash format that chains written earlier depend on, the key
and where it comes from, what `pgo audit verify` says (which entry, which reason), the anchor, and the migration of
old plain-hash chains. Expected values are written out here (RFC 5869, the canonical JSON as text), not recomputed
with the module's own helpers.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from sqlmodel import Session

from pgo import cli, db
from pgo.accounts import audit
from pgo.accounts.audit import (
    AccessLogBroken,
    AccessLogError,
    ChainReport,
    anchor_of,
    entry_digest,
    parse_anchor,
    plain_digest,
    rechain,
    record_access,
    record_accesses,
    record_views_of_patients,
    verify_chain,
)
from pgo.accounts.models import AccessLogEntry, AccessLogHead, User
from pgo.i18n import use_locale

MARCH_3 = datetime(2026, 3, 3, 10, 15, tzinfo=UTC)
GENESIS = "0" * 64
KEY = b"k" * 32
# An entry as the database gives it back (SQLite: a naive UTC time), and its canonical form written out by hand:
# sorted keys, no spaces, UTF-8 (not \u escapes), the time in UTC with microseconds, the patient as patient_id.
ROW = {
    "id": 7,
    "at": datetime(2026, 3, 3, 10, 15),
    "actor_id": 3,
    "actor_role": "clinician",
    "team_id": 2,
    "user_id": 4,
    "what": "view:weight",
    "purpose": "care",
    "detail": "gezien door dr. Müller",
    "prev_hash": "ab" * 32,
    "entry_hash": "not covered",
}
CANONICAL = (
    '{"actor_id":3,"actor_role":"clinician","at":"2026-03-03T10:15:00.000000+00:00",'
    '"detail":"gezien door dr. Müller","id":7,"patient_id":4,"prev_hash":"' + "ab" * 32 + '",'
    '"purpose":"care","team_id":2,"what":"view:weight"}'
).encode()


def _row_from_table(engine, entry_id: int) -> dict:
    with engine.connect() as connection:
        table = AccessLogEntry.__table__
        return dict(connection.execute(select(table).where(table.c.id == entry_id)).mappings().one())


def _sql(engine, *statements, **params):
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)


# -- the hash format: chains written by this release must verify after an upgrade ------------------------------


def test_the_keyed_and_the_plain_hash_cover_the_canonical_fields():
    assert entry_digest(ROW, KEY) == hmac.new(KEY, CANONICAL, hashlib.sha256).hexdigest()
    assert plain_digest(ROW) == hashlib.sha256(CANONICAL).hexdigest()


def test_an_entry_object_hashes_like_its_row_whatever_the_time_zone_of_its_moment():
    amsterdam = timezone(timedelta(hours=1))
    entry = AccessLogEntry(**{name: value for name, value in ROW.items() if name != "at"})
    entry.at = datetime(2026, 3, 3, 11, 15, tzinfo=amsterdam)  # 10:15 UTC
    assert entry_digest(entry, KEY) == hmac.new(KEY, CANONICAL, hashlib.sha256).hexdigest()


def test_hkdf_gives_32_bytes_unless_asked_otherwise():
    """RFC 5869 A.3: the first 32 of its 42 bytes."""
    okm = audit.hkdf_sha256(bytes.fromhex("0b" * 22), b"")
    assert okm.hex() == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"


# -- the key ------------------------------------------------------------------------------------------------------


def test_the_key_from_the_app_secret_is_hkdf_with_the_chain_label(monkeypatch):
    monkeypatch.delenv("PGO_AUDIT_KEY_FILE", raising=False)
    expected = audit.hkdf_sha256(b"the app secret", b"pgo access log chain v1")
    assert audit.derive_key("the app secret") == expected
    assert audit.derive_key(b"the app secret") == expected


def test_the_key_file_may_end_in_a_newline_and_needs_32_bytes(tmp_path, monkeypatch):
    key_file = tmp_path / "audit.key"
    monkeypatch.setenv("PGO_AUDIT_KEY_FILE", str(key_file))
    key_file.write_bytes(b"s" * 32 + b"\n")  # as `echo` writes it
    assert audit.derive_key("ignored") == audit.hkdf_sha256(b"s" * 32, b"pgo access log chain v1")
    key_file.write_bytes(b"s" * 31 + b"\n")
    with pytest.raises(AccessLogBroken, match=f"key file {key_file} holds fewer than 32 bytes"):
        audit.derive_key("ignored")
    key_file.unlink()
    with pytest.raises(AccessLogBroken, match=f"key file {key_file} cannot be read"):
        audit.derive_key("ignored")


def test_without_use_secret_the_key_comes_from_the_environment_and_use_secret_replaces_it(monkeypatch):
    monkeypatch.delenv("PGO_AUDIT_KEY_FILE", raising=False)
    monkeypatch.setenv("PGO_SECRET_KEY", "the secret of this installation")
    audit._chain_key = None
    assert entry_digest(ROW) == entry_digest(ROW, audit.derive_key("the secret of this installation"))
    audit.use_secret("another installation")
    assert audit.chain_key() == audit.derive_key("another installation")
    assert entry_digest(ROW) == entry_digest(ROW, audit.derive_key("another installation"))


def test_a_log_verified_with_another_key_breaks_at_the_first_entry(session, logged):
    audit.use_secret("a different secret key, as after a lost key file")
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.broken_id, report.problem) == (False, 0, 1, "hash")


# -- appending ------------------------------------------------------------------------------------------------------


def test_a_use_by_no_person_is_logged_and_a_long_detail_is_cut_at_200(session, people):
    """actor_id None: pgo itself sent the data to a provider the patient connected (#20)."""
    entries = record_accesses(
        session=session,
        actor_id=None,
        actor_role="system",
        team_id=None,
        patient_id=people.anna.id,
        whats=["send:questionnaires"],
        purpose="care",
        detail="x" * 201,
        now=MARCH_3,
    )
    session.commit()
    assert [(e.id, e.actor_id, e.user_id, e.what, e.detail, e.at) for e in entries] == [
        (1, None, people.anna.id, "send:questionnaires", "x" * 200, MARCH_3)
    ]
    assert entries[0].prev_hash == GENESIS
    assert anchor_of(session=session) == f"1:{entries[0].entry_hash}"
    assert verify_chain(session=session).ok


def test_an_entry_without_a_moment_or_detail_gets_the_current_time_and_no_detail(session, people):
    before = datetime.now(UTC)
    entry = record_access(
        session=session,
        actor_id=people.jansen.id,
        actor_role="clinician",
        team_id=None,
        patient_id=people.anna.id,
        what="view:all",
        purpose="care",
    )
    assert before <= audit.as_utc(entry.at) <= datetime.now(UTC)
    assert entry.detail == ""
    noted = record_access(
        session=session,
        actor_id=people.jansen.id,
        actor_role="clinician",
        team_id=None,
        patient_id=people.anna.id,
        what="view:all",
        purpose="emergency",
        detail="bewusteloos binnengebracht",
    )
    assert (noted.id, noted.detail, noted.purpose) == (2, "bewusteloos binnengebracht", "emergency")
    (other,) = record_accesses(
        session=session,
        actor_id=people.jansen.id,
        actor_role="clinician",
        team_id=None,
        patient_id=people.anna.id,
        whats=["view:weight"],
        purpose="care",
    )
    assert (other.id, other.detail, other.prev_hash) == (3, "", noted.entry_hash)


def test_appending_is_refused_while_entries_exist_without_a_head(engine, session, logged):
    _sql(engine, "DELETE FROM access_log_head")
    with pytest.raises(
        AccessLogBroken, match="^access log head is missing while entries exist; run `pgo audit verify`$"
    ):
        record_access(
            session=session,
            actor_id=logged.jansen.id,
            actor_role="clinician",
            team_id=None,
            patient_id=logged.anna.id,
            what="view:all",
            purpose="care",
        )


def test_an_empty_log_without_a_head_starts_one_at_the_first_entry(engine, session, people):
    _sql(engine, "DELETE FROM access_log_head")
    entry = record_access(
        session=session,
        actor_id=people.jansen.id,
        actor_role="clinician",
        team_id=None,
        patient_id=people.anna.id,
        what="view:all",
        purpose="care",
    )
    session.commit()
    assert (entry.id, entry.prev_hash) == (1, GENESIS)
    assert anchor_of(session=session) == f"1:{entry.entry_hash}"
    assert verify_chain(session=session).ok


def test_a_session_that_wrote_before_sees_the_head_another_process_moved(engine, session, logged):
    """Sessions keep objects after a commit (expire_on_commit=False): the head must be read again, not reused."""

    def view(on, patient):
        record_access(
            session=on,
            actor_id=logged.jansen.id,
            actor_role="clinician",
            team_id=None,
            patient_id=patient.id,
            what="view:all",
            purpose="care",
        )
        on.commit()

    view(session, logged.anna)  # entry 6
    kept = session.get(AccessLogHead, audit.HEAD_ID)  # this session holds the head, as a page showing the anchor
    assert kept.last_id == 6
    with Session(engine, expire_on_commit=False) as other:
        view(other, logged.bram)  # entry 7
    view(session, logged.anna)  # entry 8, after 7
    report = verify_chain(session=session)
    assert (report.ok, report.entries) == (True, 8)


def test_a_page_of_several_patients_logs_each_but_the_clinician_self(session, people):
    entries = record_views_of_patients(
        session=session,
        actor_id=people.bakker.id,
        actor_role="clinician",
        views=[(people.anna.id, people.linde.id), (people.bakker.id, None), (people.bram.id, people.cardio.id)],
        what="view:overview",
        purpose="consultation",
        now=MARCH_3,
    )
    session.commit()
    assert [(e.id, e.user_id, e.team_id, e.what, e.purpose, e.actor_id, e.at) for e in entries] == [
        (1, people.anna.id, people.linde.id, "view:overview", "consultation", people.bakker.id, MARCH_3),
        (2, people.bram.id, people.cardio.id, "view:overview", "consultation", people.bakker.id, MARCH_3),
    ]
    assert entries[1].prev_hash == entries[0].entry_hash
    assert anchor_of(session=session) == f"2:{entries[1].entry_hash}"
    assert verify_chain(session=session).ok
    own = [(people.bakker.id, None)]
    assert (
        record_views_of_patients(
            session=session,
            actor_id=people.bakker.id,
            actor_role="clinician",
            views=own,
            what="view:all",
            purpose="care",
        )
        == []
    )


@pytest.mark.parametrize(
    ("what", "purpose", "message"),
    [
        ("peek:overview", "care", "unknown access code 'peek:overview'"),
        ("view:diary", "care", "unknown access code 'view:diary'"),
        ("view:overview", "curiosity", "unknown purpose 'curiosity'"),
    ],
)
def test_a_page_of_several_patients_with_an_unknown_code_logs_nothing(session, people, what, purpose, message):
    with pytest.raises(AccessLogError, match=message):
        record_views_of_patients(
            session=session,
            actor_id=people.bakker.id,
            actor_role="clinician",
            views=[(people.anna.id, None)],
            what=what,
            purpose=purpose,
        )
    assert session.exec(select(AccessLogEntry.id)).first() is None


# -- what verify reports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "sentence"),
    [
        ("gap", "Entry 4 does not follow the entry before it: entries are missing or moved."),
        ("link", "Entry 4 does not point to the hash of the entry before it."),
        ("hash", "Entry 4 was changed after it was written."),
        ("head", "Entries after 4 are missing, or the chain head was changed."),
        ("unkeyed", "Entry 4 has a hash without the key: run pgo audit rechain, or it was forged."),
        ("anchor", "Entry 4 differs from the anchor kept outside the database."),
        ("truncated", "Entry 4 of the anchor is missing: the newest entries were removed."),
    ],
)
def test_each_break_is_told_with_its_entry_and_reason(problem, sentence):
    with use_locale("en"):
        assert ChainReport(False, 3, 4, problem).describe() == sentence


def test_an_intact_log_says_how_many_entries_and_the_last_hash():
    with use_locale("en"):
        assert ChainReport(True, 5, head_hash="ab" * 32).describe() == (
            f"The access log is intact: 5 entries, last hash {'ab' * 32}."
        )
    with use_locale("nl"):
        assert ChainReport(False, 1, 2, "hash").describe() == "Regel 2 is veranderd nadat hij is geschreven."
        assert ChainReport(False, 5, 5, "head").describe() == (
            "Regels na 5 ontbreken, of de kop van de keten (de nieuwste regel) is veranderd."
        )


def test_a_break_reports_the_entries_checked_and_the_last_good_hash(engine, session, logged):
    third = _row_from_table(engine, 3)["entry_hash"]
    _sql(engine, "UPDATE access_log_entry SET purpose = 'emergency' WHERE id = 4")
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.broken_id, report.problem, report.head_hash) == (
        False,
        3,
        4,
        "hash",
        third,
    )


def test_a_first_entry_that_does_not_start_from_the_genesis_is_a_broken_link(engine, session, logged):
    _sql(engine, "UPDATE access_log_entry SET prev_hash = :h WHERE id = 1", h="f" * 64)
    report = verify_chain(session=session)
    assert (report.broken_id, report.problem, report.head_hash) == (1, "link", GENESIS)


def test_a_head_that_counts_one_entry_more_is_caught(engine, session, logged):
    _sql(engine, "UPDATE access_log_head SET last_id = 6")
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.broken_id, report.problem) == (False, 5, 5, "head")


def test_a_deleted_head_is_caught_and_an_empty_log_needs_none(engine, session, logged):
    fifth = _row_from_table(engine, 5)["entry_hash"]
    _sql(engine, "DELETE FROM access_log_head")
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.broken_id, report.problem, report.head_hash) == (
        False,
        5,
        5,
        "head",
        fifth,
    )
    assert anchor_of(session=session) == f"0:{GENESIS}"


def test_an_entry_inserted_in_the_middle_is_caught_where_it_lands(engine, session, logged):
    """A forger moves entries 4 and 5 up and writes a new entry 4 linked to entry 3, with a guessed hash."""
    third = _row_from_table(engine, 3)["entry_hash"]
    _sql(
        engine,
        "UPDATE access_log_entry SET id = id + 100 WHERE id >= 4",
        "UPDATE access_log_entry SET id = id - 99 WHERE id >= 100",
    )
    row = _row_from_table(engine, 5) | {"id": 4, "prev_hash": third, "detail": "inserted"}
    forged = hashlib.sha256(repr(row).encode()).hexdigest()
    _sql(
        engine,
        "INSERT INTO access_log_entry (id, at, actor_id, actor_role, team_id, user_id, what, purpose, detail,"
        " prev_hash, entry_hash) SELECT 4, at, actor_id, actor_role, team_id, user_id, what, purpose, 'inserted',"
        " :prev, :h FROM access_log_entry WHERE id = 5",
        prev=third,
        h=forged,
    )
    report = verify_chain(session=session)
    assert (report.ok, report.entries, report.broken_id, report.problem) == (False, 3, 4, "hash")


# -- the anchor -----------------------------------------------------------------------------------------------------


def test_the_anchor_of_an_empty_log_holds_for_the_log_that_grows_from_it(session, people):
    """`pgo audit anchor` on a fresh installation prints 0:<zeros>; verify with it must not fail forever."""
    anchor = anchor_of(session=session)
    assert anchor == f"0:{GENESIS}"
    assert verify_chain(session=session, anchor=anchor).ok
    record_access(
        session=session,
        actor_id=people.jansen.id,
        actor_role="clinician",
        team_id=None,
        patient_id=people.anna.id,
        what="view:all",
        purpose="care",
    )
    session.commit()
    assert verify_chain(session=session, anchor=anchor).ok


def test_an_anchor_of_an_older_chain_holds_and_a_wrong_one_names_its_entry(engine, session, logged):
    second = _row_from_table(engine, 2)["entry_hash"]
    assert verify_chain(session=session, anchor=f"2:{second}\n").ok  # as read back from a file
    report = verify_chain(session=session, anchor=f"2:{'e' * 64}")
    assert (report.ok, report.entries, report.broken_id, report.problem, report.head_hash) == (
        False,
        1,
        2,
        "anchor",
        _row_from_table(engine, 1)["entry_hash"],
    )


def test_an_anchor_beyond_the_chain_is_reported_as_truncation(engine, session, logged):
    report = verify_chain(session=session, anchor=f"9:{'e' * 64}")
    assert (report.ok, report.entries, report.broken_id, report.problem, report.head_hash) == (
        False,
        5,
        9,
        "truncated",
        _row_from_table(engine, 5)["entry_hash"],
    )


def test_the_head_rewritten_with_entries_recomputed_is_caught_by_the_anchor(engine, session, logged):
    """Entries 4 and 5 replaced by a forger holding the key (the anchor is what is left), the head set to match."""
    anchor = anchor_of(session=session)
    fifth = _row_from_table(engine, 5)
    fifth["purpose"] = "emergency"
    forged = entry_digest(fifth)
    _sql(engine, "UPDATE access_log_entry SET purpose = 'emergency', entry_hash = :h WHERE id = 5", h=forged)
    _sql(engine, "UPDATE access_log_head SET last_hash = :h", h=forged)
    assert verify_chain(session=session).ok
    report = verify_chain(session=session, anchor=anchor)
    assert (report.broken_id, report.problem) == (5, "anchor")


@pytest.mark.parametrize(
    "anchor",
    [
        f"x5:{'a' * 64}",
        f"5:{'a' * 63}",
        f"5:{'a' * 65}",
        "5",
        f"-1:{'a' * 64}",
        f":{'a' * 64}",
        f"5:{'g' * 64}",  # not hex
        f"5:{'a' * 31}:{'a' * 32}",  # 64 characters, one of them a colon
        f"5:{'a' * 64}:6",
    ],
)
def test_an_anchor_that_is_not_id_colon_64_digits_is_refused(anchor):
    with pytest.raises(AccessLogError, match="an anchor is <id>:<64 hex digits>"):
        parse_anchor(anchor)


def test_an_anchor_is_read_with_its_id_and_hash():
    assert parse_anchor(f" 12:{'a' * 64}\n") == (12, "a" * 64)


# -- migrating chains written before #23 ----------------------------------------------------------------------------


def _plain_chain(engine, *, keyed: set[int] = frozenset()) -> None:
    """Rewrite the chain as an older pgo wrote it (plain SHA-256), except the entries in ``keyed``."""
    with engine.connect() as connection:
        table = AccessLogEntry.__table__
        rows = [dict(r) for r in connection.execute(select(table).order_by(table.c.id)).mappings()]
    previous = GENESIS
    for row in rows:
        row["prev_hash"] = previous
        row["entry_hash"] = entry_digest(row) if row["id"] in keyed else plain_digest(row)
        _sql(
            engine,
            "UPDATE access_log_entry SET prev_hash = :p, entry_hash = :h WHERE id = :id",
            p=previous,
            h=row["entry_hash"],
            id=row["id"],
        )
        previous = row["entry_hash"]
    _sql(engine, "UPDATE access_log_head SET last_hash = :h", h=previous)


def test_a_mixed_chain_is_rechained_counting_only_the_plain_entries(engine, session, logged):
    _plain_chain(engine, keyed={1, 2})
    report = verify_chain(session=session)
    assert (report.broken_id, report.problem) == (3, "unkeyed")
    assert rechain(session=session) == 3
    session.commit()
    report = verify_chain(session=session)
    assert (report.ok, report.entries) == (True, 5)
    assert anchor_of(session=session) == f"5:{_row_from_table(engine, 5)['entry_hash']}"
    assert rechain(session=session) == 0  # a keyed chain stays as it is


def test_rechain_of_an_empty_log_writes_nothing(session):
    assert rechain(session=session) == 0
    assert anchor_of(session=session) == f"0:{GENESIS}"


def test_rechain_refuses_a_plain_chain_a_forger_recomputed_after_deleting_an_entry(engine, session, logged):
    """Before #23 anyone could recompute plain hashes: every link and hash is right, only the gap in ids shows."""
    _sql(engine, "DELETE FROM access_log_entry WHERE id = 3", "UPDATE access_log_head SET last_id = 4")
    _plain_chain(engine)
    with pytest.raises(AccessLogBroken, match="^access log entry 4 is broken; not re-chained$"):
        rechain(session=session)


def test_rechain_refuses_a_plain_entry_rewritten_without_patching_the_next_link(engine, session, logged):
    """Entry 3 changed and its plain hash recomputed: entry 4's own hash is right, its link is not."""
    _plain_chain(engine)
    third = _row_from_table(engine, 3) | {"purpose": "emergency"}
    _sql(
        engine,
        "UPDATE access_log_entry SET purpose = 'emergency', entry_hash = :h WHERE id = 3",
        h=plain_digest(third),
    )
    with pytest.raises(AccessLogBroken, match="^access log entry 4 is broken; not re-chained$"):
        rechain(session=session)


@pytest.mark.parametrize(
    ("statements", "message"),
    [
        (["DELETE FROM access_log_entry WHERE id = 3"], "^access log entry 4 is broken; not re-chained$"),
        (["DELETE FROM access_log_entry WHERE id = 1"], "^access log entry 2 is broken; not re-chained$"),
        (
            ["UPDATE access_log_entry SET prev_hash = entry_hash WHERE id = 3"],
            "^access log entry 3 is broken; not re-chained$",
        ),
        (
            ["UPDATE access_log_head SET last_hash = 'x'"],
            "^the access log head does not match its entries; not re-chained$",
        ),
        (
            ["UPDATE access_log_head SET last_id = 4"],
            "^the access log head does not match its entries; not re-chained$",
        ),
        (["DELETE FROM access_log_head"], "^the access log head does not match its entries; not re-chained$"),
    ],
)
def test_rechain_refuses_a_broken_plain_chain_and_writes_nothing(engine, session, logged, statements, message):
    _plain_chain(engine)
    _sql(engine, *statements)
    before = [_row_from_table(engine, i)["entry_hash"] for i in (2, 4, 5)]
    with pytest.raises(AccessLogBroken, match=message):
        rechain(session=session)
    session.rollback()
    assert [_row_from_table(engine, i)["entry_hash"] for i in (2, 4, 5)] == before


# -- the command --------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    monkeypatch.setenv("PGO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("PGO_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("PGO_LANG", "en")
    cli.open_engine.cache_clear()
    yield cli.open_engine()
    cli.open_engine().dispose()
    cli.open_engine.cache_clear()


def test_the_command_names_the_entry_and_the_reason(cli_db, monkeypatch, tmp_path):
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
    _sql(cli_db, "UPDATE access_log_entry SET what = 'export:all' WHERE id = 2")
    runner = CliRunner()
    with use_locale("en"):
        result = runner.invoke(cli.main, ["audit", "verify"])
    assert result.exit_code == 1
    assert result.output.strip() in (
        "Entry 2 was changed after it was written.",
        "Regel 2 is veranderd nadat hij is geschreven.",
    )
    monkeypatch.setenv("PGO_AUDIT_KEY_FILE", str(tmp_path / "missing.key"))
    audit._chain_key = None
    result = runner.invoke(cli.main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "missing.key cannot be read" in result.output
