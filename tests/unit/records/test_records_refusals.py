"""Files that cannot be read as FHIR are refused whole, with a message naming the file; nothing of them is kept."""

from __future__ import annotations

import json

import pytest
from records_helpers import OBSERVATION, add_user, row_counts

from pgo.i18n import use_locale
from pgo.records.importing import import_paths

BAD_FILES = {
    "not-fhir.txt": (b"hello, this is not JSON", "not a FHIR file"),
    "list.json": (b"[1, 2, 3]", "not a FHIR resource"),
    "no-type.json": (json.dumps({"id": "x", "status": "final"}).encode(), "not a FHIR resource"),
    "dstu2.json": (
        json.dumps({"resourceType": "MedicationOrder", "id": "m"}).encode(),
        "FHIR DSTU2",
    ),
    "r5.json": (json.dumps({"resourceType": "DeviceUsage", "id": "d"}).encode(), "FHIR R5"),
    "two-patients.json": (
        json.dumps(
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [
                    {"resource": {"resourceType": "Patient", "id": "a"}},
                    {"resource": {"resourceType": "Patient", "id": "b"}},
                ],
            }
        ).encode(),
        "more than one patient",
    ),
    "truncated.json": (json.dumps(OBSERVATION).encode()[:-20], "incomplete"),
    "empty.json": (b"", "is empty"),
    "blank.xml": (b"   \n  ", "is empty"),
    "broken.xml": (b"<Observation xmlns='http://hl7.org/fhir'><status value='final'/>", "not valid FHIR XML"),
    "not-fhir.xml": (b"<note><to>Tove</to></note>", "not valid FHIR XML"),
    "empty-bundle.json": (b'{"resourceType": "Bundle", "type": "collection", "entry": []}', "no FHIR resources"),
    # #17: dates that do not exist, or before 1900, were stored without a date
    "day-zero.json": (json.dumps({**OBSERVATION, "effectiveDateTime": "0000-00-00"}).encode(), "0000-00-00"),
    "feb-30.json": (json.dumps({**OBSERVATION, "effectiveDateTime": "2026-02-30"}).encode(), "2026-02-30"),
    "feb-30-zoned.json": (
        json.dumps({**OBSERVATION, "effectiveDateTime": "2026-02-30T10:00:00+01:00"}).encode(),
        "does not exist",
    ),
    "1850.json": (json.dumps({**OBSERVATION, "effectiveDateTime": "1850-01-01"}).encode(), "before 1900"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_after_good_files_and_nothing_of_it_is_stored(session, tmp_path, name):
    user_id = add_user(session)
    content, problem = BAD_FILES[name]
    good = tmp_path / "a-good.json"
    good.write_text(json.dumps(OBSERVATION))
    bad = tmp_path / f"b-{name}"
    bad.write_bytes(content)
    import_paths(session=session, user_id=user_id, paths=[good])
    before = row_counts(session)
    with use_locale("en"):
        report = import_paths(session=session, user_id=user_id, paths=[good, bad])
    assert [r.file for r in report.refused] == [bad.name]
    assert bad.name in report.refused[0].error and problem in report.refused[0].error
    assert row_counts(session) == before


def test_bad_file_in_the_middle_of_a_folder_leaves_the_others(session, tmp_path):
    user_id = add_user(session)
    tmp_path = tmp_path / "upload"
    tmp_path.mkdir()
    (tmp_path / "1.json").write_text(json.dumps(OBSERVATION))
    (tmp_path / "2.json").write_text(json.dumps({"resourceType": "Bundle", "entry": [
        {"resource": {**OBSERVATION, "effectiveDateTime": "2022-01-01"}},
        {"resource": {"resourceType": "MedicationOrder"}},
    ]}))  # fmt: skip
    (tmp_path / "3.json").write_text(json.dumps({**OBSERVATION, "effectiveDateTime": "2023-01-01"}))
    before = row_counts(session)
    report = import_paths(session=session, user_id=user_id, paths=[tmp_path])
    assert [r.file for r in report.refused] == ["2.json"]
    assert report.imported == 2
    after = row_counts(session)
    assert after["record_resource"] - before["record_resource"] == 2


def test_refusal_message_is_translated(session, tmp_path):
    user_id = add_user(session)
    bad = tmp_path / "leeg.json"
    bad.write_bytes(b"")
    with use_locale("nl"):
        report = import_paths(session=session, user_id=user_id, paths=[bad])
    assert report.refused[0].error == "leeg.json is leeg."


def test_each_resource_of_a_mixed_bundle_keeps_its_own_version(session, tmp_path):
    from sqlmodel import select

    from pgo.records.models import RecordResource

    user_id = add_user(session)
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Immunization", "notGiven": False, "status": "completed"}},
        {"resource": {"resourceType": "Immunization", "occurrenceDateTime": "2020", "status": "completed"}},
        {"resource": {"resourceType": "Condition", "code": {"text": "Astma"}}},
    ]}  # fmt: skip
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(bundle))
    report = import_paths(session=session, user_id=user_id, paths=[path])
    assert report.ok
    stored = session.exec(select(RecordResource.resource_type, RecordResource.fhir_version)).all()
    assert sorted(stored) == [("Condition", "STU3"), ("Immunization", "R4"), ("Immunization", "STU3")]
