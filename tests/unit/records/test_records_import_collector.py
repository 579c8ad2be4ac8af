"""The importer pauses Python's cycle collector while it stores a file, and always gives it back."""

from __future__ import annotations

import gc
import json

import pytest
from records_helpers import add_user

from pgo.records import importing
from pgo.records.importing import import_paths

PATIENT = {"resourceType": "Patient", "id": "p", "name": [{"family": "Jansen"}]}


@pytest.fixture
def collector():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _watch(monkeypatch) -> list[bool]:
    """Whether the collector was on, seen from inside the import (at each batch)."""
    seen: list[bool] = []
    monkeypatch.setattr(importing, "_listeners", lambda: [lambda **_kw: seen.append(gc.isenabled())])
    return seen


def test_off_while_storing_and_on_again_after_a_good_and_a_refused_file(session, tmp_path, monkeypatch, collector):
    seen = _watch(monkeypatch)
    good, bad = tmp_path / "a.json", tmp_path / "b.ndjson"
    good.write_text(json.dumps(PATIENT))
    bad.write_text(json.dumps({**PATIENT, "id": "q"}) + "\n{broken\n")
    monkeypatch.setattr(importing, "BATCH_SIZE", 1)  # the bad file's first line is stored before its second fails
    report = import_paths(session=session, user_id=add_user(session), paths=[good, bad])
    assert [r.file for r in report.refused] == ["b.ndjson"]
    assert seen == [False, False]
    assert gc.isenabled()


def test_left_off_when_it_was_off_before(session, tmp_path, monkeypatch, collector):
    seen = _watch(monkeypatch)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(PATIENT))
    gc.disable()
    assert import_paths(session=session, user_id=add_user(session), paths=[path]).ok
    assert seen == [False]
    assert not gc.isenabled()


def test_nested_pauses_end_with_the_last(collector):
    with importing._cycle_collector_paused():
        with importing._cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
