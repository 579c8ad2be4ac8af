"""A plan as a checklist, counted from the entries."""

from datetime import UTC, date, datetime

import pytest

from pgo.measurements.entry import new_form_token, record_measurement
from pgo.measurements.plans import create_plan, plan_checklist

TODAY = date(2025, 3, 12)


def enter_bp(session, user, hour, day=TODAY):
    return record_measurement(
        session=session,
        user_id=user.id,
        type="blood_pressure",
        form_values={"systolic": "130", "diastolic": "80"},
        unit=None,
        measured_at=datetime(day.year, day.month, day.day, hour),
        token=new_form_token(),
        now=datetime(2025, 3, 13, tzinfo=UTC),
    )


def test_checklist_counts_todays_entries(session, patient, clinician):
    create_plan(
        session=session,
        patient_id=patient.id,
        clinician_id=clinician.id,
        type="blood_pressure",
        days=7,
        start_date=date(2025, 3, 10),
        times_of_day=["20:00", "08:00"],
    )
    items = plan_checklist(session=session, user_id=patient.id, today=TODAY, lang="nl")
    assert [(i.label, i.done) for i in items] == [("08:00", False), ("20:00", False)]
    assert items[0].day_number == 3 and items[0].days_total == 7 and items[0].type_label == "Bloeddruk"
    enter_bp(session, patient, 8)
    enter_bp(session, patient, 7, day=date(2025, 3, 11))  # yesterday does not count
    items = plan_checklist(session=session, user_id=patient.id, today=TODAY)
    assert [i.done for i in items] == [True, False] and items[0].measurement_id
    enter_bp(session, patient, 21)
    assert all(i.done for i in plan_checklist(session=session, user_id=patient.id, today=TODAY))


def test_times_per_day_without_clock_times(session, patient, clinician):
    create_plan(
        session=session,
        patient_id=patient.id,
        clinician_id=clinician.id,
        type="body_weight",
        days=3,
        start_date=TODAY,
        times_per_day=2,
    )
    items = plan_checklist(session=session, user_id=patient.id, today=TODAY, lang="en")
    assert [i.label for i in items] == ["Measurement 1 of 2", "Measurement 2 of 2"]


def test_no_checklist_outside_the_plan(session, patient, clinician):
    create_plan(
        session=session, patient_id=patient.id, clinician_id=clinician.id, type="heart_rate", days=2, start_date=TODAY
    )
    assert plan_checklist(session=session, user_id=patient.id, today=date(2025, 3, 14)) == []
    assert plan_checklist(session=session, user_id=patient.id, today=date(2025, 3, 11)) == []
    assert len(plan_checklist(session=session, user_id=patient.id, today=date(2025, 3, 13))) == 1


def test_bad_plans_refused(session, patient, clinician):
    with pytest.raises(ValueError, match="at least one day and one measurement a day"):
        create_plan(
            session=session,
            patient_id=patient.id,
            clinician_id=clinician.id,
            type="heart_rate",
            days=0,
            start_date=TODAY,
        )
    with pytest.raises(ValueError, match="HH:MM"):
        create_plan(
            session=session,
            patient_id=patient.id,
            clinician_id=clinician.id,
            type="heart_rate",
            days=2,
            start_date=TODAY,
            times_of_day=["8 uur"],
        )
