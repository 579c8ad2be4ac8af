"""The patient's export of their record (#23, 2026-12-03): only their own resources, in the order they came, each
under a fullUrl that is kept, stable, or new when two versions would share one; the contributors' resources; the
Bundle's type, id and time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from records_helpers import add_user

from pgo.records import export
from pgo.records.export import export_bundle
from pgo.records.importing import import_resources

MOMENT = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock_and_no_contributors(monkeypatch):
    monkeypatch.setattr(export, "utcnow", lambda: MOMENT)
    monkeypatch.setattr(export, "_contributors", lambda: [])


def _sodium(fhir_id: str, value: float) -> dict:
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2951-2"}]},
        "effectiveDateTime": "2021-06-12",
        "valueQuantity": {"value": value, "unit": "mmol/l"},
    }
    return {**resource, "id": fhir_id} if fhir_id else resource


def _values(bundle: dict) -> list[float]:
    return [entry["resource"]["valueQuantity"]["value"] for entry in bundle["entry"]]


def _is_uuid_urn(url: str) -> bool:
    return url.startswith("urn:uuid:") and str(uuid.UUID(url.removeprefix("urn:uuid:"))) == url[9:]


def test_each_patient_exports_only_their_own_record_in_import_order(session):
    anna, bram = add_user(session, "anna@example.nl"), add_user(session, "bram@example.nl")
    import_resources(session=session, user_id=anna, resources=[_sodium("a1", 140), _sodium("a2", 136)], source="Lab")
    import_resources(session=session, user_id=bram, resources=[_sodium("b1", 150)], source="Lab")
    import_resources(session=session, user_id=anna, resources=[_sodium("a3", 131)], source="Lab")
    assert _values(export_bundle(session=session, user_id=anna)) == [140, 136, 131]
    assert _values(export_bundle(session=session, user_id=bram)) == [150]
    assert export_bundle(session=session, user_id=add_user(session, "cor@example.nl"))["entry"] == []


def test_the_bundle_is_a_collection_with_its_own_id_and_the_moment_of_export(session):
    user_id = add_user(session)
    first, second = export_bundle(session=session, user_id=user_id), export_bundle(session=session, user_id=user_id)
    assert (first["resourceType"], first["type"]) == ("Bundle", "collection")
    assert first["meta"] == {"lastUpdated": "2026-12-03T09:30:00+00:00"}
    assert first["timestamp"] == "2026-12-03T09:30:00+00:00"
    assert str(uuid.UUID(first["id"])) == first["id"] and first["id"] != second["id"]
    assert list(first) == ["resourceType", "id", "meta", "type", "timestamp", "entry"]


def test_a_resource_with_an_id_gets_the_same_full_url_in_every_export_and_per_patient(session):
    anna, bram = add_user(session, "anna@example.nl"), add_user(session, "bram@example.nl")
    import_resources(session=session, user_id=anna, resources=[_sodium("x1", 140), _sodium("x2", 141)], source="Lab")
    import_resources(session=session, user_id=bram, resources=[_sodium("x1", 150)], source="Lab")
    urls = [entry["fullUrl"] for entry in export_bundle(session=session, user_id=anna)["entry"]]
    again = [entry["fullUrl"] for entry in export_bundle(session=session, user_id=anna)["entry"]]
    assert urls == again
    assert all(_is_uuid_urn(url) for url in urls) and urls[0] != urls[1]
    # the same type and id is the same resource name, whoever exports it
    assert export_bundle(session=session, user_id=bram)["entry"][0]["fullUrl"] == urls[0]


def test_the_type_is_part_of_a_stable_full_url():
    observation = export._full_url({"resourceType": "Observation", "id": "1"})
    patient = export._full_url({"resourceType": "Patient", "id": "1"})
    assert observation != patient
    assert observation == export._full_url({"resourceType": "Observation", "id": 1})


def test_a_full_url_the_source_gave_is_kept(session):
    user_id = add_user(session)
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "https://lab.example/fhir/Observation/z9", "resource": _sodium("z9", 150)}],
    }
    import_resources(session=session, user_id=user_id, resources=[bundle], source="Lab")
    assert [e["fullUrl"] for e in export_bundle(session=session, user_id=user_id)["entry"]] == [
        "https://lab.example/fhir/Observation/z9"
    ]


def test_two_versions_of_one_resource_each_keep_their_own_full_url(session):
    user_id = add_user(session)
    import_resources(session=session, user_id=user_id, resources=[_sodium("x1", 140), _sodium("x1", 141)], source="Lab")
    first, second = export_bundle(session=session, user_id=user_id)["entry"]
    assert (first["resource"]["valueQuantity"]["value"], second["resource"]["valueQuantity"]["value"]) == (140, 141)
    assert first["fullUrl"] == export._full_url({"resourceType": "Observation", "id": "x1"})
    assert _is_uuid_urn(second["fullUrl"]) and second["fullUrl"] != first["fullUrl"]


def test_a_resource_without_an_id_gets_a_new_full_url(session):
    user_id = add_user(session)
    import_resources(session=session, user_id=user_id, resources=[_sodium("", 139), _sodium("", 138)], source="Lab")
    urls = [entry["fullUrl"] for entry in export_bundle(session=session, user_id=user_id)["entry"]]
    assert len(set(urls)) == 2 and all(_is_uuid_urn(url) for url in urls)


def test_contributors_add_their_resources_for_this_patient_after_the_imported_ones(session, monkeypatch):
    add_user(session, "bram@example.nl")  # Anna is not the first account
    anna = add_user(session, "anna@example.nl")
    import_resources(session=session, user_id=anna, resources=[_sodium("a1", 140)], source="Lab")
    asked = []

    def measurements(*, session, user_id):
        asked.append(user_id)
        yield {"resourceType": "Observation", "id": f"home-{user_id}", "status": "final", "code": {"text": "Gewicht"}}
        yield {"resourceType": "QuestionnaireResponse", "status": "completed"}

    monkeypatch.setattr(export, "_contributors", lambda: [measurements])
    entries = export_bundle(session=session, user_id=anna)["entry"]
    assert asked == [anna]
    assert [e["resource"]["resourceType"] for e in entries] == ["Observation", "Observation", "QuestionnaireResponse"]
    assert entries[1]["resource"]["id"] == f"home-{anna}"
    assert entries[1]["fullUrl"] == export._full_url({"resourceType": "Observation", "id": f"home-{anna}"})
    assert _is_uuid_urn(entries[2]["fullUrl"])
    assert len({e["fullUrl"] for e in entries}) == 3
