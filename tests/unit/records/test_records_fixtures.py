"""Every shared fixture imports, into the right categories, with the right values."""

from __future__ import annotations

import pytest
from records_helpers import MULTI_PATIENT_BUNDLE, add_user, fixture
from sqlmodel import select

from pgo.records.importing import import_paths
from pgo.records.models import RecordEntry, RecordProvenance, RecordResource

FOLDERS = ["nictiz-r4-zib2020", "nictiz-stu3-zib2017", "hl7-r4-examples", "synthea-r4"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_fixture_file_imports(session, folder):
    user_id = add_user(session)
    report = import_paths(session=session, user_id=user_id, paths=[fixture(folder)])
    refused = [r.file for r in report.refused]
    # The HL7 reference-resolution example bundle holds three different people: refused on purpose.
    assert refused == ([MULTI_PATIENT_BUNDLE] if folder == "hl7-r4-examples" else [])
    files = [p for p in fixture(folder).iterdir() if p.is_file()]
    stored_sources = set(session.exec(select(RecordProvenance.source_name)).all())
    assert stored_sources == {p.name for p in files} - set(refused)
    assert report.imported > 0


def _one(session, **where):
    query = select(RecordEntry)
    for name, value in where.items():
        query = query.where(getattr(RecordEntry, name) == value)
    return session.exec(query).one()


def test_nictiz_r4_blood_pressure_and_lab(session):
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[fixture("nictiz-r4-zib2020")])
    pressure = _one(session, code_key="http://loinc.org|85354-9")
    assert pressure.category == "result"
    assert pressure.details["blood_pressure"] == {"systolic": 125.0, "diastolic": 75.0}
    assert pressure.value_text == "125/75" and pressure.unit == "mmHg"
    chloride = _one(session, code_key="http://loinc.org|2069-3")
    assert (chloride.value_num, chloride.ref_low, chloride.ref_high, chloride.flag) == (109.0, 99.0, 108.0, "high")
    resource = session.exec(select(RecordResource).where(RecordResource.resource_type == "Patient")).one()
    assert resource.fhir_version == "R4" and resource.profile.endswith("nl-core-Patient")
    assert resource.body["name"][0]["given"] == ["Johanna", "Petronella", "Maria"]  # repeating: a list
    assert resource.body["deceasedBoolean"] is False  # a boolean, not the string "false"


def test_nictiz_stu3_categories_and_values(session):
    user_id = add_user(session)
    report = import_paths(session=session, user_id=user_id, paths=[fixture("nictiz-stu3-zib2017")])
    assert dict(report.kept) == {"Binary": 1, "Medication": 1, "Specimen": 1}
    categories = set(session.exec(select(RecordEntry.category)).all())
    assert {"result", "report", "medication", "problem", "allergy", "vaccination", "procedure", "visit",
            "document", "patient"} <= categories  # fmt: skip
    pressure = _one(session, code_key="http://loinc.org|85354-9")
    assert pressure.details["blood_pressure"]["systolic"] is not None
    lab = _one(session, code_key="http://loinc.org|2069-3", resource_type="Observation")
    assert (lab.value_num, lab.unit, lab.ref_low, lab.ref_high, lab.flag) == (109.0, "mmol/l", 99.0, 108.0, "high")
    versions = set(session.exec(select(RecordResource.fhir_version)).all())
    assert versions == {"STU3"}


def test_synthea_bundle_keeps_claims_without_showing_them(session):
    user_id = add_user(session)
    path = next(fixture("synthea-r4").glob("Reuben_Lind_*.json"))
    report = import_paths(session=session, user_id=user_id, paths=[path])
    assert report.kept["Claim"] > 0 and report.kept["ExplanationOfBenefit"] > 0
    claims = session.exec(select(RecordResource).where(RecordResource.resource_type == "Claim")).all()
    assert len(claims) == report.kept["Claim"] and not any(c.shown for c in claims)
    assert not session.exec(select(RecordEntry).where(RecordEntry.resource_type == "Claim")).all()
    assert report.imported == 199
