"""The records revision: raised by every import that stores something, not by a refused or empty one."""

from __future__ import annotations

import json

from records_helpers import add_user

from pgo.records import revision
from pgo.records.importing import import_paths, import_resources

OBSERVATION = {
    "resourceType": "Observation",
    "id": "na",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "2947-0"}]},
    "effectiveDateTime": "2021-06-12",
    "valueQuantity": {"value": 138, "unit": "mmol/l"},
}


def test_a_new_person_starts_at_zero_and_each_import_counts_once(session, tmp_path):
    user_id = add_user(session)
    other = add_user(session, "an@example.nl")
    assert revision.current(session=session, user_id=user_id) == 0
    path = tmp_path / "one.json"
    path.write_text(json.dumps(OBSERVATION))
    assert import_paths(session=session, user_id=user_id, paths=[path]).imported == 1
    assert revision.current(session=session, user_id=user_id) == 1
    # the same file again: a duplicate, still an import that linked something (a source), so pages are made again
    import_paths(session=session, user_id=user_id, paths=[path])
    assert revision.current(session=session, user_id=user_id) == 2
    import_resources(session=session, user_id=user_id, resources=[{**OBSERVATION, "id": "k"}], source="provider")
    assert revision.current(session=session, user_id=user_id) == 3
    assert revision.current(session=session, user_id=other) == 0


def test_a_refused_file_or_an_empty_import_leaves_the_revision(session, tmp_path):
    user_id = add_user(session)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert not import_paths(session=session, user_id=user_id, paths=[bad]).ok
    import_resources(session=session, user_id=user_id, resources=[], source="provider")
    assert revision.current(session=session, user_id=user_id) == 0
