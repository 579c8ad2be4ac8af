"""An import checks each batch against what the person has: in memory while the person had nothing before the import,
in the database otherwise. Both ways store the same rows and report the same counts."""

from __future__ import annotations

import json

import pytest
from records_helpers import OBSERVATION, add_user, row_counts
from sqlmodel import select

from pgo.records import importing
from pgo.records.importing import import_paths
from pgo.records.models import RecordEntry, RecordLink


def _result(day: int, value: float, **extra) -> dict:
    return {**OBSERVATION, "effectiveDateTime": f"2021-06-{day:02d}", "valueQuantity": {"value": value}, **extra}


# Seven lines in batches of two: line 3 repeats line 1 as it is (one resource, a duplicate); lines 4 and 6 are the
# facts of lines 1 and 2 again in other words (new resources, merged into the records already made).
LINES = [
    _result(1, 138),
    _result(2, 140),
    _result(1, 138),
    _result(1, 138, id="from-the-lab"),
    _result(3, 141),
    _result(2, 140, id="from-the-lab-too"),
    _result(4, 139),
]


def _write(tmp_path, lines: list[dict], name: str = "results.ndjson"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


def _links(session) -> list[int]:
    """How many resources each record is linked to, by the record's date."""
    entries = session.exec(select(RecordEntry).order_by(RecordEntry.effective_at)).all()
    return [len(session.exec(select(RecordLink).where(RecordLink.entry_id == e.id)).all()) for e in entries]


def _asked(monkeypatch) -> list[str]:
    """The tables whose keys an import looks up in the database."""
    asked: list[str] = []
    real = importing.ids_by_key

    def counting(session, table, *args):
        asked.append(table)
        return real(session, table, *args)

    monkeypatch.setattr(importing, "ids_by_key", counting)
    return asked


@pytest.mark.parametrize("kept_keys", [importing.KEPT_KEYS, 0], ids=["in-memory", "database"])
def test_duplicates_and_merges_across_batches_of_a_new_record(session, tmp_path, monkeypatch, kept_keys):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    monkeypatch.setattr(importing, "KEPT_KEYS", kept_keys)  # 0: the database is asked from the second batch on
    user_id = add_user(session)
    asked = _asked(monkeypatch)
    report = import_paths(session=session, user_id=user_id, paths=[_write(tmp_path, LINES)])
    assert bool(asked) == (kept_keys == 0)
    assert (report.imported, report.duplicates, report.merged, report.new_records) == (6, 1, 2, 4)
    counts = row_counts(session)
    assert (counts["record_resource"], counts["record_entry"], counts["record_link"]) == (6, 4, 6)
    assert _links(session) == [2, 2, 1, 1]


def test_a_second_import_finds_what_the_first_stored(session, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[_write(tmp_path, LINES[:2], "first.ndjson")])
    report = import_paths(session=session, user_id=user_id, paths=[_write(tmp_path, LINES)])
    assert (report.imported, report.duplicates, report.merged) == (4, 3, 2)
    counts = row_counts(session)
    assert (counts["record_resource"], counts["record_entry"], counts["record_link"]) == (6, 4, 6)
    assert _links(session) == [2, 2, 1, 1]


def test_a_new_record_is_checked_in_memory_and_a_known_one_in_the_database(session, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    user_id = add_user(session)
    asked = _asked(monkeypatch)
    import_paths(session=session, user_id=user_id, paths=[_write(tmp_path, LINES)])
    assert asked == []
    import_paths(session=session, user_id=user_id, paths=[_write(tmp_path, LINES, "again.ndjson")])
    assert "record_resource" in asked and "record_entry" not in asked  # every resource was there: no new records
