"""What the clinic asks the features (#19), at the limits: the offer the consultation is about (today counts as
coming), flagged readings from the first second of the window, and what is new strictly after the last contact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pgo.accounts.models import Role, User
from pgo.decisions import for_clinician as decisions
from pgo.decisions.aid import available_aids
from pgo.decisions.offers import offer_aid
from pgo.measurements import for_clinician as measurements
from pgo.measurements.entry import new_form_token, record_measurement

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
SECOND = timedelta(seconds=1)


@pytest.fixture
def people(session) -> tuple[User, User]:
    patient = User(email="jo@example.nl", name="Jo", role=Role.PATIENT)
    clinician = User(email="dr@example.nl", name="Dr", role=Role.CLINICIAN)
    session.add_all([patient, clinician])
    session.flush()
    return patient, clinician


def _offer(session, people, days_from_today: int, note: str):
    patient, clinician = people
    aid_id = available_aids()[0].id
    offer_aid(
        session=session, clinician_id=clinician.id, patient_id=patient.id, aid_id=aid_id,
        consultation_date=TODAY + timedelta(days=days_from_today), note=note,
    )  # fmt: skip


def _upcoming_note(session, people) -> str | None:
    found = decisions.upcoming_offer(session=session, patient_id=people[0].id, today=TODAY)
    return found.note if found else None


def test_the_consultation_today_is_the_coming_one(session, people):
    _offer(session, people, -1, "yesterday")
    _offer(session, people, 1, "tomorrow")
    assert _upcoming_note(session, people) == "tomorrow"  # the coming one, not the one just past
    _offer(session, people, 0, "today")
    assert _upcoming_note(session, people) == "today"  # today is still coming


def test_without_a_coming_consultation_the_latest_past_one(session, people):
    assert _upcoming_note(session, people) is None
    _offer(session, people, -2, "two days ago")
    _offer(session, people, -1, "yesterday")
    assert _upcoming_note(session, people) == "yesterday"


def _reading(session, patient, systolic: int, measured_at: datetime, entered_at: datetime) -> None:
    result = record_measurement(
        session=session, user_id=patient.id, type="blood_pressure",
        form_values={"systolic": str(systolic), "diastolic": "80"}, unit=None, measured_at=measured_at,
        token=new_form_token(), now=entered_at, confirm=True,
    )  # fmt: skip
    assert result.stored, result


def test_flagged_readings_count_from_the_first_second_of_the_window(session, people):
    patient = people[0]
    since = NOW - timedelta(days=30)
    _reading(session, patient, 190, since - SECOND, NOW)  # one second too early
    _reading(session, patient, 190, since, NOW)  # on the limit: counts
    _reading(session, patient, 190, since + SECOND, NOW)
    _reading(session, patient, 120, since + SECOND, NOW)  # not flagged
    session.commit()
    assert measurements.flagged_counts(session=session, patient_ids=[patient.id], since=since) == {patient.id: 2}
    assert measurements.flagged_counts(session=session, patient_ids=[], since=since) == {}


def test_new_since_the_last_contact_means_strictly_after_it(session, people):
    patient = people[0]
    contact = NOW - timedelta(days=3)
    for entered in (contact - SECOND, contact, contact + SECOND):
        _reading(session, patient, 120, entered, entered)
    session.commit()
    assert measurements.entered_since(session=session, patient_id=patient.id, since=contact) == 1
    assert measurements.types_measured_since(session=session, patient_id=patient.id, since=contact) == [
        "blood_pressure"
    ]
    assert measurements.types_measured_since(session=session, patient_id=patient.id, since=NOW) == []


def test_offered_aids_per_patient_in_the_order_offered(session, people):
    patient = people[0]
    aids = [aid.id for aid in available_aids()[:2]]
    for aid_id in reversed(aids):
        offer_aid(
            session=session, clinician_id=people[1].id, patient_id=patient.id, aid_id=aid_id, consultation_date=TODAY
        )
    assert decisions.offered_aids(session=session, patient_ids=[patient.id, patient.id + 1000]) == {
        patient.id: list(reversed(aids))
    }
