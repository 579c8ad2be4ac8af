"""The recognised concept is stored with each record at import (issue #15) and the explanation uses it."""

from records_helpers import add_user
from sqlmodel import select

from pgo.records.explanations import explain_record
from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry

ASPIRIN_WITHOUT_ATC = {
    "resourceType": "MedicationStatement",
    "id": "ms-1",
    "status": "active",
    "medicationCodeableConcept": {
        "coding": [
            {"system": "urn:oid:2.16.840.1.113883.2.4.4.10", "code": "12345", "display": "ACETYLSALICYLZUUR 100MG"}
        ],
        "text": "ACETYLSALICYLZUUR TABLETMSR 100MG",
    },
    "effectivePeriod": {"start": "2021-06-12"},
}
SODIUM_BY_NHG = {
    "resourceType": "Observation",
    "id": "obs-1",
    "status": "final",
    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                              "code": "laboratory"}]}],
    "code": {"coding": [{"system": "https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen",
                         "code": "0", "display": "natrium"}]},
    "effectiveDateTime": "2021-06-12",
    "valueQuantity": {"value": 138, "unit": "mmol/l"},
}  # fmt: skip
NITROGLYCERINE_BRANDLESS = {
    **ASPIRIN_WITHOUT_ATC,
    "id": "ms-2",
    "medicationCodeableConcept": {"text": "NITROGLYCERINE SPRAY 0,4MG/DO"},
}


def test_import_stores_the_concept_and_how_it_was_found(session):
    user_id = add_user(session)
    import_resources(
        session=session, user_id=user_id, resources=[ASPIRIN_WITHOUT_ATC, SODIUM_BY_NHG, NITROGLYCERINE_BRANDLESS],
        source="test",
    )  # fmt: skip
    stored = {e.title: (e.concept_id, e.concept_how) for e in session.exec(select(RecordEntry)).all()}
    assert stored["ACETYLSALICYLZUUR TABLETMSR 100MG"] == ("platelet-inhibitors", "name")
    assert stored["natrium"] == ("sodium", "name")
    assert stored["NITROGLYCERINE SPRAY 0,4MG/DO"] == ("group-atc-c01da", "name")


def test_the_page_explains_by_the_stored_concept(session):
    user_id = add_user(session)
    import_resources(session=session, user_id=user_id, resources=[ASPIRIN_WITHOUT_ATC, NITROGLYCERINE_BRANDLESS],
                     source="test")  # fmt: skip
    entries = {e.title: e for e in session.exec(select(RecordEntry)).all()}
    aspirin = explain_record(
        session=session, user_id=user_id, entry_id=entries["ACETYLSALICYLZUUR TABLETMSR 100MG"].id, level="standard",
        lang="nl",
    )  # fmt: skip
    assert aspirin is not None and not aspirin.is_fallback and not aspirin.is_group
    assert aspirin.recognised_by == "name"
    spray = explain_record(
        session=session, user_id=user_id, entry_id=entries["NITROGLYCERINE SPRAY 0,4MG/DO"].id, level="standard",
        lang="nl",
    )  # fmt: skip
    assert spray is not None and spray.is_group and not spray.is_fallback


def test_stored_records_are_recognised_again_without_importing(session):
    from pgo.records.recognition_store import recognise_stored

    user_id = add_user(session)
    import_resources(session=session, user_id=user_id, resources=[ASPIRIN_WITHOUT_ATC, SODIUM_BY_NHG], source="test")
    session.execute(RecordEntry.__table__.update().values(concept_id="", concept_how=""))  # as before migration 0015
    assert recognise_stored(session) == (2, 2)
    session.expire_all()
    stored = {e.title: (e.concept_id, e.concept_how) for e in session.exec(select(RecordEntry)).all()}
    assert stored == {
        "ACETYLSALICYLZUUR TABLETMSR 100MG": ("platelet-inhibitors", "name"),
        "natrium": ("sodium", "name"),
    }
    assert recognise_stored(session) == (2, 0)  # nothing changed: nothing written


def test_page_summary_says_honestly_when_a_record_has_only_the_general_text(session):
    from pgo.records.explanations import page_summary

    unknown = {**ASPIRIN_WITHOUT_ATC, "id": "ms-3", "medicationCodeableConcept": {"text": "ONBEKEND PREPARAAT 5MG"}}
    user_id = add_user(session)
    import_resources(session=session, user_id=user_id, resources=[ASPIRIN_WITHOUT_ATC], source="test")
    assert "Bij elk gegeven staat uitleg." in page_summary(
        session=session, user_id=user_id, page="medication", lang="nl"
    )
    import_resources(session=session, user_id=user_id, resources=[unknown], source="test")
    summary = page_summary(session=session, user_id=user_id, page="medication", lang="nl")
    assert "Bij elk gegeven staat uitleg." not in summary
    assert "Bij 1 gegeven staat alleen algemene uitleg" in summary
