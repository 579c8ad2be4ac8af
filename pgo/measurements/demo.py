"""Demonstration data of this feature, seeded by `pgo demo` (idempotent).

Dr. Jansen asks Anna to measure her blood pressure twice a day for seven days (started six days ago), with
two personal limits; Anna has a week of readings, one of them above 180, and a few weights.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from pgo.accounts.demo_people import DemoPeople
from pgo.clock import utcnow
from pgo.localtime import local_day
from pgo.measurements.entry import record_measurement
from pgo.measurements.models import MeasurementPlan
from pgo.measurements.plans import create_plan

THRESHOLDS = (
    {
        "field_name": "systolic",
        "direction": "above",
        "limit_value": 180,
        "severity": "call_today",
        "advice": {
            "nl": {
                "standard": "Boven de 180: bel vandaag de praktijk.",
                "simple": "Hoger dan 180? Bel vandaag de praktijk.",
            },
            "en": {
                "standard": "Above 180: call the practice today.",
                "simple": "Higher than 180? Call the practice today.",
            },
        },
    },
    {
        "field_name": "systolic",
        "direction": "above",
        "limit_value": 140,
        "severity": "info",
        "advice": {
            "nl": {"standard": "Boven de 140: vertel het bij uw volgende afspraak."},
            "en": {"standard": "Above 140: mention it at your next visit."},
        },
    },
)

# (days ago, hour, systolic, diastolic, pulse); one reading above 180.
READINGS = (
    (6, 8, 138, 86, 72), (6, 20, 135, 84, 70), (5, 8, 141, 88, 74), (5, 20, 136, 85, 71),
    (4, 8, 132, 82, 69), (4, 20, 184, 102, 80), (3, 8, 139, 87, 73), (3, 20, 134, 83, 70),
    (2, 8, 137, 85, 72), (2, 20, 131, 81, 68), (1, 8, 136, 84, 71), (1, 20, 133, 82, 69),
)  # fmt: skip
WEIGHTS = ((20, 74.2), (13, 73.8), (6, 73.5), (1, 73.1))


def seed(session: Session, people: DemoPeople) -> None:
    """Add this feature's demonstration data when it is not there yet."""
    patient, clinician = people.patient, people.clinician
    if session.exec(select(MeasurementPlan).where(MeasurementPlan.user_id == patient.id)).first() is not None:
        return
    today = local_day(utcnow())
    create_plan(
        session=session,
        patient_id=patient.id,
        clinician_id=clinician.id,
        type="blood_pressure",
        days=7,
        start_date=today - timedelta(days=6),
        times_of_day=["08:00", "20:00"],
        instructions="Meet na 5 minuten rustig zitten, aan dezelfde arm.",
        thresholds=THRESHOLDS,
    )
    for days_ago, hour, systolic, diastolic, pulse in READINGS:
        _enter(session, patient.id, "blood_pressure", days_ago, hour,
               {"systolic": systolic, "diastolic": diastolic, "heart_rate": pulse})  # fmt: skip
    for days_ago, kilos in WEIGHTS:
        _enter(session, patient.id, "body_weight", days_ago, 7, {"value": kilos})


def _enter(session: Session, user_id: int, type: str, days_ago: int, hour: int, values: dict) -> None:
    day = local_day(utcnow()) - timedelta(days=days_ago)
    record_measurement(
        session=session,
        user_id=user_id,
        type=type,
        form_values=values,
        unit=None,
        measured_at=datetime.combine(day, time(hour, 0)),
        token=f"demo:{type}:{day.isoformat()}:{hour}",
        confirm=True,
    )
