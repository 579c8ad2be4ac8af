"""An import is part of the caller's transaction: each file is a savepoint inside it, never a commit of its own.

On SQLite pysqlite sends no BEGIN before a SAVEPOINT, so the RELEASE of each file's savepoint used to commit that
file, and a caller's rollback after the import kept it (on PostgreSQL it did not). These tests hold both databases
to the same behaviour.
"""

from __future__ import annotations

import json

from records_helpers import OBSERVATION, add_user, row_counts
from sqlmodel import Session

from pgo.records import importing, revision
from pgo.records.importing import import_paths, import_resources


def _observation(day: int) -> dict:
    return {**OBSERVATION, "effectiveDateTime": f"2021-06-{day:02d}"}


def _committed_user(engine) -> tuple[int, dict[str, int]]:
    with Session(engine) as session:
        user_id = add_user(session)
        session.commit()
        return user_id, row_counts(session)


def test_a_rollback_after_importing_two_files_keeps_nothing_of_either(engine, tmp_path):
    user_id, before = _committed_user(engine)
    for day in (1, 2):
        (tmp_path / f"{day}.json").write_text(json.dumps(_observation(day)))
    with Session(engine) as session:
        report = import_paths(session=session, user_id=user_id, paths=[tmp_path / "1.json", tmp_path / "2.json"])
        assert report.imported == 2
        assert revision.current(session=session, user_id=user_id) == 1
        session.rollback()
    with Session(engine) as session:
        assert row_counts(session) == before
        assert revision.current(session=session, user_id=user_id) == 0


def test_a_rollback_after_importing_resources_keeps_nothing(engine):
    user_id, before = _committed_user(engine)
    with Session(engine) as session:
        report = import_resources(session=session, user_id=user_id, resources=[_observation(3)], source="provider")
        assert report.imported == 1
        session.rollback()
    with Session(engine) as session:
        assert row_counts(session) == before


def test_a_commit_keeps_both_files(engine, tmp_path):
    user_id, before = _committed_user(engine)
    tmp_path = tmp_path / "upload"
    tmp_path.mkdir()
    for day in (1, 2):
        (tmp_path / f"{day}.json").write_text(json.dumps(_observation(day)))
    with Session(engine) as session:
        import_paths(session=session, user_id=user_id, paths=[tmp_path])
        session.commit()
    with Session(engine) as session:
        assert row_counts(session)["record_resource"] == before["record_resource"] + 2
        assert revision.current(session=session, user_id=user_id) == 1


def test_a_file_refused_after_a_stored_batch_leaves_nothing_while_the_good_file_is_kept(engine, tmp_path, monkeypatch):
    """The refusal comes after two batches of the file were written: its savepoint undoes them, not the other file."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    user_id, before = _committed_user(engine)
    tmp_path = tmp_path / "upload"
    tmp_path.mkdir()
    (tmp_path / "1-good.json").write_text(json.dumps(_observation(1)))
    entries = [{"resource": _observation(day)} for day in range(2, 7)]
    entries.append({"resource": {**_observation(7), "status": "fin\u0000al"}})  # no FHIR string holds a NUL
    (tmp_path / "2-bad.json").write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    with Session(engine) as session:
        report = import_paths(session=session, user_id=user_id, paths=[tmp_path])
        assert [r.file for r in report.refused] == ["2-bad.json"]
        assert report.imported == 1
        session.commit()
    with Session(engine) as session:
        after = row_counts(session)
        assert after["record_resource"] == before["record_resource"] + 1
        assert after["record_entry"] == before["record_entry"] + 1
        assert revision.current(session=session, user_id=user_id) == 1
