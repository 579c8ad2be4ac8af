"""References inside an import resolve to the current batch, to contained resources and to stored resources."""

from __future__ import annotations

import json

from records_helpers import add_user

from pgo.records.fhir_files import Entry
from pgo.records.importing import import_paths
from pgo.records.references import ReferenceIndex

MEDICATION = {"resourceType": "Medication", "id": "m1", "code": {"text": "paracetamol"}}


def test_the_batch_contained_and_stored_resources(session, tmp_path):
    user_id = add_user(session)
    stored = tmp_path / "stored.json"
    stored.write_text(json.dumps({**MEDICATION, "id": "old", "code": {"text": "stored"}}))
    import_paths(session=session, user_id=user_id, paths=[stored])

    index = ReferenceIndex(session=session, user_id=user_id)
    index.add([Entry(MEDICATION, "urn:uuid:1"), Entry({"resourceType": "Patient", "id": "p"})])
    contained = {"contained": [{"resourceType": "Medication", "id": "c"}]}
    assert index.resolve({}, {"reference": "urn:uuid:1"}) is MEDICATION
    assert index.resolve({}, {"reference": "Medication/m1"}) is MEDICATION
    assert index.resolve({}, "https://example.org/fhir/Medication/m1/_history/2") is MEDICATION
    assert index.resolve(contained, {"reference": "#c"}) == {"resourceType": "Medication", "id": "c"}
    assert index.resolve({}, {"reference": "#c"}) is None
    assert index.resolve({}, {"reference": "Medication/old"})["code"] == {"text": "stored"}
    assert index.resolve({}, {"reference": "urn:uuid:nowhere"}) is None
    assert index.resolve({}, {"display": "no reference"}) is None

    index.add([Entry({"resourceType": "Patient", "id": "q"}, "urn:uuid:2")])  # the next batch: the first is gone
    assert index.resolve({}, {"reference": "urn:uuid:1"}) is None
    assert index.resolve({}, {"reference": "urn:uuid:2"})["id"] == "q"
    assert index.resolve({}, {"reference": "Medication/m1"}) is None  # never stored: that file was not imported
