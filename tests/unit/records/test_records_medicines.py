"""#16 (2026-12-03): the MedMij medication process of one treatment shows as one medicine, with its state."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from records_helpers import add_user

from pgo.i18n import use_locale
from pgo.records.importing import import_resources
from pgo.records.queries import medication_page, overview

NICTIZ = "http://nictiz.nl/fhir/StructureDefinition/"
TREATMENT = {
    "url": NICTIZ + "ext-PharmaceuticalTreatment.Identifier",
    "valueIdentifier": {"system": "urn:oid:2.16.840.1.113883.2.4.3.11.999.77.1.1", "value": "MBH_300_1"},
}
PRODUCT = {
    "coding": [
        {"system": "urn:oid:2.16.840.1.113883.2.4.4.10", "code": "67903", "display": "CAPECITABINE 500MG TABLET"}
    ]
}
_PEOPLE = itertools.count()


def _day(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def _block(resource_type: str, profile: str, number: int, start: str, end: str = "", **extra) -> dict:
    period = {"start": start, **({"end": end} if end else {})}
    resource = {
        "resourceType": resource_type,
        "id": f"mp-{number}",
        "meta": {"profile": [NICTIZ + profile]},
        "extension": [TREATMENT, {"url": NICTIZ + "ext-TimeInterval.Period", "valuePeriod": period}],
        "status": "active",
        "medicationCodeableConcept": PRODUCT,
        **extra,
    }
    if resource_type == "MedicationRequest":
        resource["intent"] = "order"
        resource["authoredOn"] = _day(-3)
    if resource_type == "MedicationStatement":
        resource["effectivePeriod"] = period
        resource["dateAsserted"] = _day(-2)
        resource.pop("extension")
        resource["extension"] = [TREATMENT]
    if resource_type == "MedicationDispense":
        resource["whenHandedOver"] = _day(-number)
    return resource


def _mp9_treatment(start_in_days: int) -> list[dict]:
    start = _day(start_in_days)
    return [
        _block("MedicationRequest", "mp-MedicationAgreement", 1, start, _day(start_in_days + 60)),
        _block("MedicationDispense", "mp-AdministrationAgreement", 2, start, _day(start_in_days + 60)),
        _block("MedicationDispense", "mp-AdministrationAgreement", 3, start, _day(start_in_days + 30)),
        _block("MedicationStatement", "mp-MedicationUse2", 4, start),
    ]


def _import(session, resources) -> int:
    user_id = add_user(session, email=f"m{next(_PEOPLE)}@example.nl")
    import_resources(session=session, user_id=user_id, resources=resources, source="mp-MedUse2-mp9-tmg.xml")
    return user_id


def test_one_treatment_is_one_medicine_that_starts_on_its_date(session):
    user_id = _import(session, _mp9_treatment(start_in_days=10))
    with use_locale("nl"):
        page = medication_page(session=session, user_id=user_id)
    assert len(page.current) == 1 and page.stopped.total == 0
    medicine = page.current[0]
    assert medicine.medicine_state == "starts"
    assert medicine.medicine_status.startswith("Begint op ")
    assert len(medicine.history) == 3
    with use_locale("en"):
        assert overview(session=session, user_id=user_id).current_medication[0].medicine_status.startswith("Starts on")


def test_a_treatment_that_started_is_in_use_now_once(session):
    user_id = _import(session, _mp9_treatment(start_in_days=-10))
    with use_locale("en"):
        page = medication_page(session=session, user_id=user_id)
        assert [m.medicine_status for m in page.current] == ["You use this now"]
    assert page.stopped.total == 0


def test_without_a_treatment_identifier_the_same_product_is_one_medicine(session):
    resources = _mp9_treatment(start_in_days=-10)
    for resource in resources:
        resource["extension"] = [e for e in resource["extension"] if e is not TREATMENT]
    user_id = _import(session, resources)
    assert len(medication_page(session=session, user_id=user_id).current) == 1


def test_different_treatments_stay_apart(session):
    first = _mp9_treatment(start_in_days=-10)
    other = {"url": TREATMENT["url"], "valueIdentifier": {**TREATMENT["valueIdentifier"], "value": "MBH_300_2"}}
    second = [
        {**r, "id": r["id"] + "b", "extension": [other if e is TREATMENT else e for e in r["extension"]]}
        for r in _mp9_treatment(start_in_days=-200)
    ]
    for resource in second:
        resource["extension"] = [e for e in resource["extension"] if e["url"] == other["url"]]
        resource["extension"].append({"url": NICTIZ + "ext-TimeInterval.Period",
                                      "valuePeriod": {"start": _day(-200), "end": _day(-150)}})  # fmt: skip
        resource["status"] = "completed" if resource["resourceType"] == "MedicationStatement" else "active"
    user_id = _import(session, first + second)
    page = medication_page(session=session, user_id=user_id)
    assert len(page.current) == 1 and page.stopped.total == 1
