"""The preparation page's measurements and records parts: what is in them, and what is left out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pgo.accounts.models import Role, User
from pgo.clinic.preparation import MAX_PROBLEMS, consultation_preparation
from pgo.measurements.entry import new_form_token, record_measurement
from pgo.measurements.plans import add_threshold
from pgo.records.importing import import_resources

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def jo(session) -> User:
    user = User(email="jo@example.nl", name="Jo", role=Role.PATIENT)
    session.add(user)
    session.flush()
    return user


def _measure(session, user, type, values, when):
    result = record_measurement(
        session=session, user_id=user.id, type=type, form_values=values, unit=None,
        measured_at=when, token=new_form_token(), now=NOW, confirm=True,
    )  # fmt: skip
    assert result.stored, result


def _prepare(session, user, allowed=("measurements", "records")):
    return consultation_preparation(
        session=session, patient_id=user.id, allowed=set(allowed), today=TODAY, now=NOW, lang="nl"
    )


def test_trends_for_the_types_measured_in_the_last_thirty_days_with_personal_limits(session, jo):
    for day in range(1, 11):
        _measure(
            session, jo, "blood_pressure", {"systolic": str(130 + day), "diastolic": "85"}, datetime(2026, 3, day, 8)
        )
    _measure(session, jo, "body_weight", {"value": "81"}, datetime(2026, 1, 10, 8))  # older than thirty days
    add_threshold(session=session, patient_id=jo.id, type="blood_pressure", field_name="systolic", limit_value=137)
    session.commit()
    part = _prepare(session, jo).measurements
    assert [trend.label for trend in part.trends] == ["Bloeddruk"]
    (trend,) = part.trends
    assert "137" in trend.chart_svg  # the personal limit is drawn, not the general one
    assert trend.chart_svg.count("<circle") + trend.chart_svg.count("<rect x=") >= 10
    assert "136/85 mmHg" in trend.summary  # the mean of this month's ten readings (131-140 over 85)


def test_no_measurements_no_trends_and_no_access_no_part(session, jo):
    assert _prepare(session, jo).measurements.trends == ()
    assert _prepare(session, jo, allowed=("records",)).measurements is None


def _medication(n: int, status: str) -> dict:
    return {
        "resourceType": "MedicationStatement", "id": f"ms{n}", "status": status,
        "effectiveDateTime": f"2025-0{1 + n % 9}-02", "medicationCodeableConcept": {"text": f"Middel {n}"},
        "dosage": [{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                    "doseQuantity": {"value": 1, "unit": "tablet"}}],
    }  # fmt: skip


def _problem(n: int) -> dict:
    return {
        "resourceType": "Condition", "id": f"c{n}", "code": {"text": f"Probleem {n:02d}"},
        "onsetDateTime": (date(2020, 1, 1) + timedelta(days=30 * n)).isoformat(),
    }  # fmt: skip


def test_records_part_lists_current_medication_with_dose_and_the_newest_problems(session, jo):
    resources = [_medication(1, "active"), _medication(2, "completed"), _medication(3, "active")]
    resources += [_problem(n) for n in range(MAX_PROBLEMS + 3)]
    assert import_resources(session=session, user_id=jo.id, resources=resources, source="Huisarts").ok
    session.commit()
    part = _prepare(session, jo).records
    assert sorted(line.title for line in part.medication) == ["Middel 1", "Middel 3"]
    assert {line.detail for line in part.medication} == {"1 tablet, 2 keer per dag"}
    newest = [f"Probleem {n:02d}" for n in range(MAX_PROBLEMS + 2, 2, -1)]
    assert [line.title for line in part.problems] == newest


def test_problems_active_first_then_newest_with_status_and_a_date_without_clock_time(session, jo):
    # (#18) the preparation listed problems newest first whatever their status, with clock times and no status
    def condition(n: int, status: str, onset: str) -> dict:
        return {
            "resourceType": "Condition", "id": f"s{n}", "code": {"text": f"Probleem {n}"}, "onsetDateTime": onset,
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                           "code": status}]},
        }  # fmt: skip

    resources = [
        condition(1, "resolved", "2025-06-01T20:47:00+02:00"),
        condition(2, "active", "2019-02-03T21:47:00+01:00"),
        condition(3, "active", "2023-04-05"),
    ]
    assert import_resources(session=session, user_id=jo.id, resources=resources, source="Huisarts").ok
    session.commit()
    lines = _prepare(session, jo).records.problems
    assert [line.title for line in lines] == ["Probleem 3", "Probleem 2", "Probleem 1"]
    assert [line.detail for line in lines] == [
        "actief, sinds 5 apr 2023",
        "actief, sinds 3 feb 2019",
        "niet actief, sinds 1 jun 2025",
    ]
