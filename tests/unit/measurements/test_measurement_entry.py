"""Entering measurements: stored once, refused ones store nothing, advice and care-team flags."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from pgo.measurements.entry import EntryStatus, flagged_for_team, new_form_token, record_measurement
from pgo.measurements.models import Measurement
from pgo.measurements.plans import add_threshold, create_plan
from pgo.measurements.types import UnknownMeasurementType

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)
MORNING = datetime(2025, 3, 12, 8, 0)  # Dutch local time


def enter(
    session,
    user,
    type="blood_pressure",
    values=None,
    *,
    token=None,
    confirm=False,
    level="standard",
    lang="en",
    unit=None,
    at=MORNING,
):
    return record_measurement(
        session=session,
        user_id=user.id,
        type=type,
        form_values=values if values is not None else {"systolic": "128", "diastolic": "82"},
        unit=unit,
        measured_at=at,
        token=token or new_form_token(),
        confirm=confirm,
        level=level,
        lang=lang,
        now=NOW,
    )


def count(session) -> int:
    return len(session.exec(select(Measurement)).all())


def test_valid_entry_is_stored_with_entered_and_canonical_values(session, patient):
    result = enter(session, patient, "body_weight", {"value": "165,5"}, unit="lb")
    assert result.status == EntryStatus.STORED
    m = result.measurement
    assert m.id and m.unit == "kg" and m.entered_unit == "[lb_av]"
    assert m.entered_values == {"value": 165.5} and m.values["value"] == pytest.approx(75.07, abs=0.01)
    assert m.measured_at == datetime(2025, 3, 12, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam (CET)
    assert m.source == "entered"


def test_double_submission_stores_once_and_returns_the_first(session, patient):
    token = new_form_token()
    first = enter(session, patient, token=token)
    second = enter(session, patient, token=token)
    assert first.status == EntryStatus.STORED and second.status == EntryStatus.DUPLICATE
    assert second.measurement.id == first.measurement.id
    assert count(session) == 1


def test_same_token_of_another_person_is_separate(session, patient, clinician):
    token = new_form_token()
    enter(session, patient, token=token)
    enter(session, clinician, token=token)
    assert count(session) == 2


def test_refused_entry_stores_nothing(session, patient):
    result = enter(session, patient, values={"systolic": "80", "diastolic": "120"})
    assert result.status == EntryStatus.INVALID and "systolic" in result.errors
    assert result.measurement is None and count(session) == 0


def test_future_entry_stores_nothing(session, patient):
    result = enter(session, patient, at=NOW + timedelta(days=1))
    assert result.status == EntryStatus.INVALID and count(session) == 0


def test_unlikely_entry_needs_confirmation_then_stores_once(session, patient):
    token = new_form_token()
    values = {"systolic": "235", "diastolic": "100"}
    asked = enter(session, patient, values=values, token=token)
    assert asked.status == EntryStatus.CONFIRM and "systolic" in asked.warnings and count(session) == 0
    confirmed = enter(session, patient, values=values, token=token, confirm=True)
    again = enter(session, patient, values=values, token=token, confirm=True)
    assert confirmed.status == EntryStatus.STORED and again.status == EntryStatus.DUPLICATE
    assert count(session) == 1


def test_confirm_does_not_let_impossible_values_through(session, patient):
    result = enter(session, patient, values={"systolic": "400", "diastolic": "80"}, confirm=True)
    assert result.status == EntryStatus.INVALID and count(session) == 0


def test_unknown_type_and_missing_token_raise(session, patient):
    with pytest.raises(UnknownMeasurementType, match="^mood_ring$"):
        enter(session, patient, "mood_ring")
    with pytest.raises(ValueError, match="idempotency token"):
        record_measurement(
            session=session,
            user_id=patient.id,
            type="heart_rate",
            form_values={"value": "60"},
            unit=None,
            measured_at=MORNING,
            token="",
        )


def test_in_range_without_plan_gives_general_ok_advice(session, patient):
    advice = enter(session, patient).advice
    assert advice.severity == "ok" and advice.icon == "check-circle" and not advice.personal
    assert advice.text == "Your value is within the safe range."
    assert not enter(session, patient).measurement.flagged


def test_out_of_range_without_plan_uses_general_rules_and_flags(session, patient):
    result = enter(session, patient, values={"systolic": "185", "diastolic": "95"}, lang="nl", level="simple")
    advice = result.advice
    assert advice.severity == "call_today" and advice.icon == "phone"
    assert advice.severity_word == "Bel vandaag uw praktijk"
    assert "Bel vandaag nog" in advice.text
    assert result.measurement.flagged and result.measurement.severity == "call_today"


def test_general_info_rule_is_advice_but_not_a_flag(session, patient):
    result = enter(session, patient, values={"systolic": "142", "diastolic": "84"})
    assert result.advice.severity == "info" and not result.measurement.flagged


def test_type_without_general_rules_just_confirms(session, patient):
    advice = enter(session, patient, "body_weight", {"value": "80"}).advice
    assert advice.severity == "ok" and advice.text == "Your measurement has been saved."


def plan_with_limit(session, patient, clinician):
    return create_plan(
        session=session,
        patient_id=patient.id,
        clinician_id=clinician.id,
        type="blood_pressure",
        days=7,
        start_date=datetime(2025, 3, 10).date(),
        times_of_day=["08:00", "20:00"],
        instructions="Meet zittend, na 5 minuten rust.",
        thresholds=[
            {
                "field_name": "systolic",
                "direction": "above",
                "limit_value": 160,
                "severity": "call_today",
                "advice": {
                    "nl": {"standard": "Boven 160: bel vandaag de praktijk."},
                    "en": {"standard": "Above 160: call the practice today.", "simple": "Call the practice today."},
                },
            }
        ],
    )


def test_personal_threshold_replaces_general_rules(session, patient, clinician):
    plan_with_limit(session, patient, clinician)
    in_range = enter(session, patient, values={"systolic": "150", "diastolic": "95"})
    assert in_range.advice.severity == "ok" and in_range.advice.personal
    assert in_range.advice.text == "Your value is within the limits your care team set."
    above = enter(session, patient, values={"systolic": "165", "diastolic": "95"}, lang="nl")
    assert above.advice.text == "Boven 160: bel vandaag de praktijk." and above.measurement.flagged
    simple = enter(session, patient, values={"systolic": "165", "diastolic": "95"}, level="simple")
    assert simple.advice.text == "Call the practice today."


def test_plan_rules_stop_when_the_plan_ends(session, patient, clinician):
    plan_with_limit(session, patient, clinician)
    later = datetime(2025, 3, 20, 8, 0)
    result = record_measurement(
        session=session,
        user_id=patient.id,
        type="blood_pressure",
        form_values={"systolic": "165", "diastolic": "95"},
        unit=None,
        measured_at=later,
        token="x",
        lang="en",
        now=datetime(2025, 3, 21, tzinfo=UTC),
    )
    assert not result.advice.personal and result.advice.severity == "info"


def test_patient_level_threshold_without_plan(session, patient, clinician):
    add_threshold(
        session=session,
        patient_id=patient.id,
        type="blood_glucose",
        limit_value=5,
        direction="below",
        severity="contact_practice",
    )
    result = enter(session, patient, "blood_glucose", {"value": "4,6"})
    assert result.advice.severity == "contact_practice" and result.measurement.flagged
    assert "limit your care team set" in result.advice.text


def test_flagged_for_team(session, patient, clinician):
    enter(session, patient, values={"systolic": "190", "diastolic": "100"})
    enter(session, patient)
    enter(session, clinician, values={"systolic": "190", "diastolic": "100"})
    flagged = flagged_for_team(session=session, patient_ids=[patient.id], since=NOW - timedelta(days=1))
    assert [m.values["systolic"] for m in flagged] == [190]
    assert flagged_for_team(session=session, patient_ids=[patient.id], since=NOW) == []
    assert flagged_for_team(session=session, patient_ids=[], since=NOW - timedelta(days=1)) == []


def test_a_token_that_our_form_did_not_make_is_refused_and_stores_nothing(session, patient):
    for token in ("\x00", "x" * 65, "with space in it", "é"):
        result = record_measurement(
            session=session,
            user_id=patient.id,
            type="body_weight",
            form_values={"value": "72,5"},
            unit="kg",
            measured_at=None,
            token=token,
        )
        assert result.status == EntryStatus.INVALID and "form" in result.errors
    assert session.exec(select(Measurement)).all() == []


def test_control_characters_are_removed_from_notes(session, patient):
    result = record_measurement(
        session=session,
        user_id=patient.id,
        type="feeling",
        form_values={"note": "moe\x00 vandaag\x07"},
        unit=None,
        measured_at=datetime(2025, 3, 12, 8),
        token=new_form_token(),
        now=datetime(2025, 3, 13, tzinfo=UTC),
    )
    assert result.status == EntryStatus.STORED, result.errors
    assert result.measurement.note == "moe vandaag"
