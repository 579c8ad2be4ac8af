"""#16 (2026-12-03): a patient whose pharmacy sent the MedMij medication process of one treatment (agreement,
administration agreements, use) sees one medicine, with its future start, in Dutch and English, also at 320 px
with extra-large text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.browser

MP9_EMAIL = "mp9@example.nl"
NICTIZ = "http://nictiz.nl/fhir/StructureDefinition/"
TREATMENT = {
    "url": NICTIZ + "ext-PharmaceuticalTreatment.Identifier",
    "valueIdentifier": {"system": "urn:oid:2.16.840.1.113883.2.4.3.11.999.77.1.1", "value": "MBH_300_7"},
}
PRODUCT = {
    "coding": [
        {"system": "urn:oid:2.16.840.1.113883.2.4.4.10", "code": "67903", "display": "CAPECITABINE 500MG TABLET"}
    ]
}

DOSAGE = {  # MP9 3.0: one piece (G-Standaard base unit 245) once a day in the morning (#16)
    "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["MORN"]}},
    "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "stuk", "system": "urn:oid:2.16.840.1.113883.2.4.4.1.900.2",
                                      "code": "245"}}],
}  # fmt: skip


def _day(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def _treatment() -> list[dict]:
    period = {"url": NICTIZ + "ext-TimeInterval.Period", "valuePeriod": {"start": _day(12), "end": _day(70)}}
    common = {"status": "active", "medicationCodeableConcept": PRODUCT, "extension": [TREATMENT, period]}
    return [
        {"resourceType": "MedicationRequest", "id": "ma", "intent": "order", "authoredOn": _day(-3),
         "meta": {"profile": [NICTIZ + "mp-MedicationAgreement"]}, "dosageInstruction": [DOSAGE], **common},
        {"resourceType": "MedicationDispense", "id": "taa1", "whenHandedOver": _day(-2),
         "meta": {"profile": [NICTIZ + "mp-AdministrationAgreement"]}, **common},
        {"resourceType": "MedicationDispense", "id": "taa2", "whenHandedOver": _day(-1),
         "meta": {"profile": [NICTIZ + "mp-AdministrationAgreement"]}, **common},
        {"resourceType": "MedicationStatement", "id": "mgb", "dateAsserted": _day(-1),
         "meta": {"profile": [NICTIZ + "mp-MedicationUse2"]}, "effectivePeriod": {"start": _day(12)},
         **{**common, "extension": [TREATMENT]}},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def mp9_patient(live_server):
    from sqlmodel import Session

    from pgo.accounts.service import create_user, find_user
    from pgo.demo import DEMO_PASSWORD
    from pgo.records.importing import import_resources

    with Session(live_server["app"].extensions["pgo_engine"]) as session:
        if find_user(session, MP9_EMAIL) is None:
            user = create_user(session=session, email=MP9_EMAIL, password=DEMO_PASSWORD, name="Mila")
            import_resources(session=session, user_id=user.id, resources=_treatment(), source="Apotheek De Brug")
            session.commit()
    return MP9_EMAIL


@pytest.mark.parametrize(
    "language,starts,dose",
    [
        ("nl", "Begint op", "1 tablet, 1 keer per dag, 's ochtends"),
        ("en", "Starts on", "1 tablet, once a day, in the morning"),
    ],
)
def test_one_treatment_is_one_medicine_that_starts_later(pages, mp9_patient, language, starts, dose, console_errors):
    page = pages.page
    # Given Mila's pharmacy sent the agreement, two administration agreements and her use of one medicine
    pages.sign_in(mp9_patient)
    pages.choose_display("large-text", language)
    page.set_viewport_size({"width": 320, "height": 800})
    # When she opens her medicines
    pages.open("/records/medication")
    main = page.get_by_role("main")
    # Then she sees that medicine once, readable, with the day it starts, not "in use now" and not "stopped"
    assert main.get_by_role("heading", name="Capecitabine 500 mg tablet").count() == 1
    text = main.text_content() or ""  # cards below the fold are skipped by innerText (content-visibility)
    assert starts in text
    assert dose in text  # the dose in words from the structured dosage, in her language (#16)
    assert "U gebruikt dit nu" not in text and "You use this now" not in text
    # And nothing is wider than her screen
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert console_errors == []
