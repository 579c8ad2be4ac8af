"""The clinician's preparation (#18 item 8): who it is about, in a clinician's words, over one period, with the
results that matter for the decision."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pgo.accounts.models import Role, User
from pgo.clinic.preparation import consultation_preparation
from pgo.decisions.models import DecisionOffer
from pgo.measurements.entry import new_form_token, record_measurement
from pgo.records.identity import age_on, masked_bsn, patient_identity
from pgo.records.importing import import_resources

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
BSN = "http://fhir.nl/fhir/NamingSystem/bsn"


@pytest.fixture
def jo(session) -> User:
    user = User(email="jo@example.nl", name="Jo", role=Role.PATIENT)
    session.add(user)
    session.flush()
    return user


def _patient(n: int, birth: str, identifiers: list[tuple[str, str]]) -> dict:
    return {
        "resourceType": "Patient", "id": f"p{n}", "birthDate": birth, "name": [{"family": "Jansen"}],
        "identifier": [{"system": system, "value": value} for system, value in identifiers],
    }  # fmt: skip


def _import(session, user, resources, source="Huisarts"):
    assert import_resources(session=session, user_id=user.id, resources=resources, source=source).ok


def _prepare(session, user, allowed=("measurements", "records", "decisions"), lang="nl"):
    return consultation_preparation(
        session=session, patient_id=user.id, allowed=set(allowed), today=TODAY, now=NOW, lang=lang
    )


def test_age_counts_whole_years_up_to_the_birthday():
    assert age_on(date(1964, 3, 21), TODAY) == 61  # the birthday is tomorrow
    assert age_on(date(1964, 3, 20), TODAY) == 62
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24


def test_bsn_is_masked_to_its_last_four_digits():
    assert masked_bsn("999911120") == "*****1120"
    assert masked_bsn("") == ""


def test_identity_from_one_patient_record_with_a_bsn(session, jo):
    _import(session, jo, [_patient(1, "1964-07-25", [(BSN, "999911120"), ("urn:oid:2.16.528.1.1007.3.3.1", "A12")])])
    found = patient_identity(session=session, patient_id=jo.id, today=TODAY)
    assert (found.birth_date, found.age, found.bsn) == (date(1964, 7, 25), 61, "*****1120")
    assert found.provider_number == "" and not found.sources_disagree  # the BSN is enough


def test_without_a_bsn_the_providers_own_number_and_never_a_foreign_national_number(session, jo):
    _import(
        session, jo,
        [_patient(1, "1980-01-02", [("http://hl7.org/fhir/sid/us-ssn", "999-83-8984"), ("urn:oid:1.2.3", "A12")])],
    )  # fmt: skip
    found = patient_identity(session=session, patient_id=jo.id, today=TODAY)
    assert found.bsn == "" and found.provider_number == "A12"


def test_records_of_different_people_are_said_not_guessed(session, jo):
    _import(session, jo, [_patient(1, "1964-07-25", [(BSN, "999911120")])])
    _import(session, jo, [_patient(2, "1934-04-28", [(BSN, "111222333")])], source="Ziekenhuis")
    found = patient_identity(session=session, patient_id=jo.id, today=TODAY)
    assert found.birth_date is None and found.age is None and found.bsn == ""
    assert found.sources_disagree
    assert _prepare(session, jo).identity == found
    assert _prepare(session, jo, allowed=("measurements",)).identity is None  # no access to the records


def test_measurements_in_a_clinicians_words_over_the_last_thirty_days(session, jo):
    # 184/102 on 25 February: in the last 30 days, but before this calendar month (it was missing from the chart)
    # 150/95 on 10 January: before the 30 days, shown as context
    for month, day, systolic in ((1, 10, "150"), (2, 25, "184"), (2, 28, "130")):
        record_measurement(
            session=session, user_id=jo.id, type="blood_pressure", unit=None,
            form_values={"systolic": systolic, "diastolic": "90"},
            measured_at=datetime(2026, month, day, 8, tzinfo=UTC), token=new_form_token(), now=NOW, confirm=True,
        )  # fmt: skip
    session.commit()
    part = _prepare(session, jo).measurements
    (trend,) = part.trends
    assert trend.summary.startswith("Gemiddeld 157/90 mmHg, 2 metingen (systolisch 130 tot 184).")
    assert "Laatste meting daarvoor: 150/90 mmHg, 10 jan 2026" in trend.summary
    assert "Uw" not in trend.summary and "uw" not in trend.summary
    assert trend.chart_svg.count("<circle") >= 2  # both readings are drawn
    assert [row.value.split(",")[0] for row in part.flagged] == ["184/90 mmHg"]
    english = _prepare(session, jo, lang="en").measurements.trends[0].summary
    assert english.startswith("Mean 157/90 mmHg, 2 readings")


def test_the_latest_results_the_decision_aid_names(session, jo):
    def result(n, code, value, unit, when):
        return {
            "resourceType": "Observation", "id": f"o{n}", "status": "final", "effectiveDateTime": when,
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
        }  # fmt: skip

    _import(
        session, jo,
        [
            result(1, "62238-1", 71, "mL/min/{1.73_m2}", "2025-01-10"),
            result(2, "33914-3", 58, "mL/min/{1.73_m2}", "2026-02-01"),  # another eGFR code, newer
            result(3, "2823-3", 4.1, "mmol/L", "2026-02-01"),
        ],
    )  # fmt: skip
    doctor = User(email="dr@example.nl", name="Dr", role=Role.CLINICIAN)
    session.add(doctor)
    session.flush()
    offer = DecisionOffer(user_id=jo.id, clinician_id=doctor.id, aid_id="high-blood-pressure", consultation_date=TODAY)
    session.add(offer)
    session.commit()
    labs = {line.title: line.detail for line in _prepare(session, jo).labs}
    assert labs["Nierfunctie (eGFR)"].startswith("58 ") and "1 feb 2026" in labs["Nierfunctie (eGFR)"]
    assert labs["Kalium"].startswith("4,1 mmol/l")
    assert labs["Kreatinine"] == "geen uitslag in het dossier"
    assert _prepare(session, jo, allowed=("decisions", "measurements")).labs is None  # no access to the records
