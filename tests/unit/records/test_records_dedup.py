"""Importing twice stores nothing new; one fact from two sources is one record listing both sources."""

from __future__ import annotations

import json

from records_helpers import add_user, fixture, row_counts
from sqlmodel import select

from pgo.records.importing import import_paths, import_resources
from pgo.records.models import RecordEntry, RecordResource
from pgo.records.queries import category_page, sources_of


def test_importing_the_same_files_twice_stores_nothing_new(session):
    user_id = add_user(session)
    paths = [fixture("nictiz-r4-zib2020"), next(fixture("synthea-r4").glob("Floyd_*.json"))]
    first = import_paths(session=session, user_id=user_id, paths=paths)
    before = row_counts(session)
    second = import_paths(session=session, user_id=user_id, paths=paths)
    assert row_counts(session) == before
    assert second.imported == 0 and second.duplicates == first.imported + first.duplicates


def test_one_file_through_two_source_names_is_one_record_with_both_sources(session):
    user_id = add_user(session)
    path = fixture("nictiz-r4-zib2020", "nl-core-LaboratoryTestResult-02.xml")
    import_paths(session=session, user_id=user_id, paths=[path], source_name="Huisarts")
    import_paths(session=session, user_id=user_id, paths=[path], source_name="Ziekenhuis")
    entries = session.exec(select(RecordEntry)).all()
    assert len(entries) == 1
    assert sources_of(session, [entries[0].id]) == {entries[0].id: ["Huisarts", "Ziekenhuis"]}


def _lab(version_profile: str, extra: dict) -> dict:
    return {
        "resourceType": "Observation",
        "meta": {"profile": [version_profile]},
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2069-3", "display": "Chloride"}]},
        "effectiveDateTime": "2012-05-23T12:00:00+02:00",
        "valueQuantity": {"value": 109, "unit": "mmol/l", "system": "http://unitsofmeasure.org", "code": "mmol/L"},
        **extra,
    }


def test_stu3_and_r4_forms_of_one_lab_result_are_one_record(session, tmp_path):
    user_id = add_user(session)
    stu3 = _lab("http://nictiz.nl/fhir/StructureDefinition/zib-LaboratoryTestResult-Observation", {"id": "a"})
    r4 = _lab(
        "http://nictiz.nl/fhir/StructureDefinition/nl-core-LaboratoryTestResult",
        {"id": "b", "effectiveDateTime": "2012-05-23T10:00:00Z"},  # the same moment, written in UTC
    )
    (tmp_path / "stu3.json").write_text(json.dumps(stu3))
    report = import_paths(session=session, user_id=user_id, paths=[tmp_path / "stu3.json"])
    assert report.ok
    second = import_resources(session=session, user_id=user_id, resources=[r4], source="Ziekenhuis (R4)")
    assert second.ok and second.imported == 1 and second.merged == 1
    assert len(session.exec(select(RecordResource)).all()) == 2  # both kept as received
    page = category_page(session=session, user_id=user_id, category="result")
    assert page.total == 1
    assert page.items[0].sources == ("Ziekenhuis (R4)",)  # a file's name only under "all details" (#16)
    assert page.items[0].files == ("stu3.json",)
    versions = sorted(session.exec(select(RecordResource.fhir_version)).all())
    assert versions == ["R4", "STU3"]


def test_different_values_stay_separate(session):
    user_id = add_user(session)
    one = _lab("http://nictiz.nl/fhir/StructureDefinition/nl-core-LaboratoryTestResult", {})
    other = {**one, "valueQuantity": {"value": 110, "unit": "mmol/l"}}
    import_resources(session=session, user_id=user_id, resources=[one, other], source="lab")
    assert len(session.exec(select(RecordEntry)).all()) == 2
