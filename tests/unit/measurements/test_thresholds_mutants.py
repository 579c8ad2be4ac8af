"""The advice after a home reading, as the patient reads it (#23, 2026-12-03): its words, icon, texts per reading
level and language, personal limits with and without the clinician's own words, and the limits in every unit a
patient can enter.

Expected answers are written out by hand (the catalogue's English and Dutch, the NHG/NHS limits), never worked out
with the module's own rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pgo.i18n import use_locale
from pgo.levels import ReadingLevel
from pgo.measurements.entry import new_form_token, record_measurement
from pgo.measurements.models import Severity, ThresholdRule
from pgo.measurements.thresholds import (
    action,
    advice_for,
    assess,
    clinical_severity_word,
    has_general_rules,
    severity_word,
)

OK, INFO, CONTACT, CALL, EMERGENCY = (
    Severity.OK,
    Severity.INFO,
    Severity.CONTACT_PRACTICE,
    Severity.CALL_TODAY,
    Severity.EMERGENCY,
)
SIMPLE, STANDARD, DETAILED = ReadingLevel.SIMPLE, ReadingLevel.STANDARD, ReadingLevel.DETAILED
TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _advice(type, values, *, rules=None, level=STANDARD, lang="en"):
    with use_locale(lang):
        return advice_for(session=None, user_id=1, type=type, values=values, today=TODAY, level=level,
                          rules=[] if rules is None else rules)  # fmt: skip


# --- the words and icons of each severity -------------------------------------------------------------------


WORDS = {
    "en": {
        OK: ("Within the limits", "Within the limits"),
        INFO: ("Mention it at your next visit", "Advised: mention at the next visit"),
        CONTACT: ("Contact your practice", "Advised: contact the practice"),
        CALL: ("Call your practice today", "Advised: call today"),
        EMERGENCY: ("Get help now", "Advised: get help now (112)"),
    },
    "nl": {
        OK: ("Binnen de grenzen", "Binnen de grenzen"),
        INFO: ("Vertel het bij uw volgende afspraak", "Advies: melden bij volgend consult"),
        CONTACT: ("Neem contact op met uw praktijk", "Advies: contact opnemen"),
        CALL: ("Bel vandaag uw praktijk", "Advies: vandaag bellen"),
        EMERGENCY: ("Haal nu hulp", "Advies: direct hulp (112)"),
    },
}


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("severity", [OK, INFO, CONTACT, CALL, EMERGENCY])
def test_each_severity_has_its_own_word_for_the_patient_and_for_the_clinician(lang, severity):
    patient_word, clinician_word = WORDS[lang][severity]
    with use_locale(lang):
        assert severity_word(severity) == patient_word
        assert clinical_severity_word(severity) == clinician_word


ACTIONS = {
    EMERGENCY: {
        SIMPLE: "Call 112 now.",
        STANDARD: "Call 112 or the out-of-hours GP service (huisartsenpost) now.",
        DETAILED: "Call 112 or the out-of-hours GP service (huisartsenpost) now.",
    },
    CALL: {
        SIMPLE: "Call your doctor's practice today.",
        STANDARD: "Call your GP practice today.",
        DETAILED: "Call your GP practice today and tell them this value. Call 112 if you also have chest pain, "
        "are short of breath, or have trouble speaking or seeing.",
    },
    CONTACT: {
        SIMPLE: "Tell your doctor's practice about it in the next few days.",
        STANDARD: "Contact your GP practice in the next few days.",
        DETAILED: "Contact your GP practice in the next few days.",
    },
    INFO: {
        level: "Keep measuring as agreed and mention it at your next visit." for level in (SIMPLE, STANDARD, DETAILED)
    },
    OK: {level: "" for level in (SIMPLE, STANDARD, DETAILED)},
}


@pytest.mark.parametrize("level", [SIMPLE, STANDARD, DETAILED])
@pytest.mark.parametrize("severity", [OK, INFO, CONTACT, CALL, EMERGENCY])
def test_what_to_do_depends_on_severity_and_reading_level(severity, level):
    with use_locale("en"):
        assert action(severity, level) == ACTIONS[severity][level]


def test_what_to_do_in_dutch():
    with use_locale("nl"):
        assert action(EMERGENCY, STANDARD) == "Bel nu 112 of de huisartsenpost."
        assert action(CALL, STANDARD) == "Bel vandaag nog de huisartsenpraktijk."
        assert action(CALL, SIMPLE) == "Bel vandaag nog de praktijk van uw dokter."


# --- the general rules: every band's own words, at each reading level -----------------------------------------

# (type, values, severity, icon, standard reason, simple reason): each reading crosses one band, its worst
BANDS = [
    ("blood_pressure", {"systolic": 180, "diastolic": 80}, CALL, "phone",
     "Your blood pressure is very high.", "Your blood pressure is very high."),
    ("blood_pressure", {"systolic": 120, "diastolic": 110}, CALL, "phone",
     "Your blood pressure is very high.", "Your blood pressure is very high."),
    ("blood_pressure", {"systolic": 135, "diastolic": 80}, INFO, "info",
     "Your blood pressure is higher than it should be.", "Your blood pressure is a bit high."),
    ("blood_pressure", {"systolic": 120, "diastolic": 85}, INFO, "info",
     "Your blood pressure is higher than it should be.", "Your blood pressure is a bit high."),
    ("blood_pressure", {"systolic": 89, "diastolic": 60}, INFO, "info",
     "Your blood pressure is low.", "Your blood pressure is low."),
    ("heart_rate", {"value": 120}, CONTACT, "message", "Your heart rate is fast.", "Your heart beats fast."),
    ("blood_pressure", {"systolic": 120, "diastolic": 80, "heart_rate": 120}, CONTACT, "message",
     "Your heart rate is fast.", "Your heart beats fast."),
    ("heart_rate", {"value": 39}, CONTACT, "message", "Your heart rate is slow.", "Your heart beats slowly."),
    ("blood_pressure", {"systolic": 120, "diastolic": 80, "heart_rate": 39}, CONTACT, "message",
     "Your heart rate is slow.", "Your heart beats slowly."),
    ("body_temperature", {"value": 40.0}, CALL, "phone", "You have a high fever.", "You have a high fever."),
    ("body_temperature", {"value": 38.0}, INFO, "info", "You have a fever.", "You have a fever."),
    ("body_temperature", {"value": 34.9}, CALL, "phone",
     "Your body temperature is too low.", "You are too cold inside."),
    ("blood_glucose", {"value": 3.9}, CONTACT, "message",
     "Your blood glucose is low (a hypo). Eat or drink something with sugar now and measure again after 15 minutes.",
     "Your blood sugar is too low. Eat or drink something sweet now. Measure again after 15 minutes."),
    ("blood_glucose", {"value": 20}, CALL, "phone",
     "Your blood glucose is very high.", "Your blood sugar is very high."),
    ("blood_glucose", {"value": 15}, CONTACT, "message", "Your blood glucose is high.", "Your blood sugar is high."),
    ("oxygen_saturation", {"value": 92}, EMERGENCY, "alert-triangle",
     "The oxygen in your blood is too low.", "There is too little oxygen in your blood."),
    ("oxygen_saturation", {"value": 94}, CONTACT, "message",
     "The oxygen in your blood is lower than normal.", "There is less oxygen in your blood than normal."),
    ("pain_score", {"value": 8}, CONTACT, "message", "You have severe pain.", "You have a lot of pain."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("type", "values", "severity", "icon", "reason", "simple_reason"),
    [pytest.param(*band, id=f"{band[0]}-{'-'.join(f'{k}{v}' for k, v in band[1].items())}") for band in BANDS],
)
def test_each_general_band_gives_its_own_words_icon_and_what_to_do(type, values, severity, icon, reason,
                                                                   simple_reason):  # fmt: skip
    standard = _advice(type, values)
    assert (standard.severity, standard.icon, standard.severity_word) == (severity, icon, WORDS["en"][severity][0])
    assert standard.text == f"{reason} {ACTIONS[severity][STANDARD]}"
    assert not standard.personal
    assert standard.flag_for_team is (severity != INFO)
    assert _advice(type, values, level=SIMPLE).text == f"{simple_reason} {ACTIONS[severity][SIMPLE]}"
    assert _advice(type, values, level=DETAILED).text == f"{reason} {ACTIONS[severity][DETAILED]}"


def test_general_advice_in_dutch_for_a_severely_raised_blood_pressure():
    advice = _advice("blood_pressure", {"systolic": 185, "diastolic": 95}, lang="nl", level=SIMPLE)
    assert advice.severity_word == "Bel vandaag uw praktijk"
    assert advice.text == "Uw bloeddruk is erg hoog. Bel vandaag nog de praktijk van uw dokter."


def test_several_bands_crossed_give_the_most_urgent_advice_and_every_reason_once():
    advice = _advice("blood_pressure", {"systolic": 185, "diastolic": 112, "heart_rate": 125})
    assert advice.severity == CALL and advice.flag_for_team
    assert advice.text == "Your blood pressure is very high. Call your GP practice today."
    # 180 systolic and 110 diastolic say the same: once; then the fast heart; then the 135/85 band, once
    assert advice.details == [
        "Your blood pressure is very high. Call your GP practice today.",
        "Your heart rate is fast. Contact your GP practice in the next few days.",
        "Your blood pressure is higher than it should be. Keep measuring as agreed and mention it at your next visit.",
    ]


def test_a_reading_inside_every_band_is_fine_and_says_so():
    advice = _advice("blood_pressure", {"systolic": 128, "diastolic": 82, "heart_rate": 70})
    assert (advice.severity, advice.severity_word, advice.icon) == (OK, "Within the limits", "check-circle")
    assert advice.text == "Your value is within the safe range."
    assert advice.details == [] and not advice.flag_for_team and not advice.personal
    assert _advice("blood_pressure", {"systolic": 128, "diastolic": 82}, lang="nl").text == (
        "Uw waarde valt binnen de veilige grenzen."
    )


@pytest.mark.parametrize("type", ["body_weight", "body_height", "waist_circumference", "peak_flow"])
def test_a_type_without_general_rules_is_only_saved(type):
    assert not has_general_rules(type)
    advice = _advice(type, {"value": 999})
    assert (advice.severity, advice.text, advice.flag_for_team) == (OK, "Your measurement has been saved.", False)
    assert assess({"value": 999}, None, type) == (OK, False)


@pytest.mark.parametrize(
    "type", ["blood_pressure", "heart_rate", "body_temperature", "blood_glucose", "oxygen_saturation", "pain_score"]
)
def test_the_types_with_general_rules(type):
    assert has_general_rules(type)


def test_a_general_rule_reads_only_its_own_type():
    # a heart rate of 130 stored as blood pressure's pulse is fast; the same number as a pain score is not a band
    assert assess({"heart_rate": 130, "systolic": 120, "diastolic": 80}, None, "blood_pressure") == (CONTACT, True)
    assert assess({"heart_rate": 130}, None, "heart_rate") == (OK, False)
    assert assess({"value": 130}, None, "blood_pressure") == (OK, False)
    # a missing field crosses nothing, also not a "below" band
    assert assess({"systolic": 120}, None, "blood_pressure") == (OK, False)
    assert assess({}, None, "oxygen_saturation") == (OK, False)


# --- personal limits -------------------------------------------------------------------------------------------


def _rule(limit, direction="above", severity=CONTACT, field="value", type="heart_rate", advice=None):
    return ThresholdRule(user_id=1, type=type, field_name=field, direction=direction, limit_value=limit,
                         severity=severity, advice=advice or {})  # fmt: skip


@pytest.mark.parametrize(
    ("direction", "cases"),
    [
        ("above", [(89, OK), (90, CALL), (91, CALL)]),  # "90 or more"
        ("below", [(89, CALL), (90, OK), (91, OK)]),  # "under 90"
    ],
)
def test_a_personal_limit_at_one_below_and_one_above(direction, cases):
    rules = [_rule(90, direction, CALL)]
    for value, expected in cases:
        advice = _advice("heart_rate", {"value": value}, rules=rules)
        flagged = expected != OK
        assert (advice.severity, advice.flag_for_team, advice.personal) == (expected, flagged, True), value
        assert assess({"value": value}, rules, "heart_rate") == (expected, flagged), value


def test_personal_limits_replace_the_general_ones():
    # the clinician allows this patient up to 130/min: 125 is fine, though the general band says "contact"
    rules = [_rule(130, severity=CONTACT), _rule(35, "below", CONTACT)]
    advice = _advice("heart_rate", {"value": 125}, rules=rules)
    assert (advice.severity, advice.personal, advice.flag_for_team) == (OK, True, False)
    assert advice.text == "Your value is within the limits your care team set."
    assert _advice("heart_rate", {"value": 125}, rules=rules, lang="nl").text == (
        "Uw waarde valt binnen de grenzen die uw zorgteam heeft ingesteld."
    )
    assert assess({"value": 125}, rules, "heart_rate") == (OK, False)
    # and 38/min, under the general 40 but above the personal 35, is fine too
    assert _advice("heart_rate", {"value": 38}, rules=rules).severity == OK


def test_a_personal_info_limit_is_still_for_the_team():
    rules = [_rule(140, severity=INFO, field="systolic", type="blood_pressure")]
    values = {"systolic": 142, "diastolic": 84}
    advice = _advice("blood_pressure", values, rules=rules)
    assert (advice.severity, advice.flag_for_team, advice.personal) == (INFO, True, True)
    assert assess(values, rules, "blood_pressure") == (INFO, True)
    # without the personal limit the same reading is a general "info": not flagged
    assert assess(values, None, "blood_pressure") == (INFO, False)


def test_a_personal_limit_on_a_field_the_reading_lacks_is_not_crossed():
    rules = [_rule(50, "below", EMERGENCY, field="heart_rate", type="blood_pressure")]
    values = {"systolic": 200, "diastolic": 120}  # no pulse; very high, but the personal rules replace the general
    assert assess(values, rules, "blood_pressure") == (OK, False)
    assert _advice("blood_pressure", values, rules=rules).severity == OK


def test_personal_limits_most_urgent_first_whatever_their_order():
    rules = [_rule(60, severity=INFO), _rule(100, severity=EMERGENCY), _rule(80, severity=CALL)]
    advice = _advice("heart_rate", {"value": 105}, rules=rules)
    assert (advice.severity, advice.icon, advice.severity_word) == (EMERGENCY, "alert-triangle", "Get help now")
    built_in = "Your value is outside the limit your care team set."
    assert advice.details == [
        f"{built_in} Call 112 or the out-of-hours GP service (huisartsenpost) now.",
        f"{built_in} Call your GP practice today.",
        f"{built_in} Keep measuring as agreed and mention it at your next visit.",
    ]
    assert advice.text == advice.details[0]
    assert assess({"value": 105}, rules, "heart_rate") == (EMERGENCY, True)
    assert assess({"value": 85}, rules, "heart_rate") == (CALL, True)


WORDS_OF_THE_TEAM = {
    "nl": {"simple": "Bel ons vandaag.", "standard": "Bel vandaag de praktijk.",
           "detailed": "Bel vandaag, met uw waarde."},
    "en": {"standard": "Call us today."},
}  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "level", "expected"),
    [
        ("nl", SIMPLE, "Bel ons vandaag."),
        ("nl", STANDARD, "Bel vandaag de praktijk."),
        ("nl", DETAILED, "Bel vandaag, met uw waarde."),
        ("en", SIMPLE, "Call us today."),  # a missing level: the standard words
        ("en", DETAILED, "Call us today."),
    ],
)
def test_the_care_teams_own_words_per_language_and_level(lang, level, expected):
    rules = [_rule(80, severity=CALL, advice=WORDS_OF_THE_TEAM)]
    advice = _advice("heart_rate", {"value": 80}, rules=rules, lang=lang, level=level)
    assert advice.text == expected and advice.details == [expected]


def test_a_missing_level_falls_back_to_the_standard_words_not_to_the_first_written():
    advice = {"en": {"simple": "Call us.", "standard": "Call the practice today.", "detailed": ""}}
    rules = [_rule(80, severity=CALL, advice=advice)]
    assert _advice("heart_rate", {"value": 81}, rules=rules, level=DETAILED).text == "Call the practice today."
    assert _advice("heart_rate", {"value": 81}, rules=rules, level=SIMPLE).text == "Call us."


def test_the_care_teams_words_without_a_standard_text_use_the_level_they_wrote():
    rules = [_rule(80, severity=CALL, advice={"en": {"detailed": "Phone the ward today."}})]
    assert _advice("heart_rate", {"value": 81}, rules=rules, level=SIMPLE).text == "Phone the ward today."


def test_without_the_care_teams_words_in_this_language_the_built_in_advice():
    rules = [_rule(80, severity=CALL, advice={"nl": {"standard": "Bel vandaag."}})]
    english = _advice("heart_rate", {"value": 81}, rules=rules, level=SIMPLE)
    assert english.text == ("Your value is outside the limit your care team set. Call your doctor's practice today.")
    empty = [_rule(80, severity=CALL, advice={"en": {"standard": ""}})]
    assert _advice("heart_rate", {"value": 81}, rules=empty).text == (
        "Your value is outside the limit your care team set. Call your GP practice today."
    )
    dutch = _advice("heart_rate", {"value": 81}, rules=[_rule(80, severity=INFO)], lang="nl")
    assert dutch.text == (
        "Uw waarde valt buiten de grens die uw zorgteam heeft ingesteld. "
        "Blijf meten zoals afgesproken en vertel het bij uw volgende afspraak."
    )


def test_personal_rules_are_looked_up_when_not_given(session, patient, clinician):
    from pgo.measurements.plans import add_threshold

    add_threshold(session=session, patient_id=patient.id, type="heart_rate", limit_value=90, severity=CALL)
    found = advice_for(session=session, user_id=patient.id, type="heart_rate", values={"value": 95}, today=TODAY)
    assert (found.severity, found.personal, found.flag_for_team) == (CALL, True, True)
    other = advice_for(session=session, user_id=clinician.id, type="heart_rate", values={"value": 95}, today=TODAY)
    assert (other.severity, other.personal) == (OK, False)


# --- every unit a patient can enter: the limits hold after conversion to the canonical unit --------------------

# (type, unit, [(entered value, severity)]): the last entry below the limit, the first at or over it, one more
ENTERED_LIMITS = [
    # 4.0 mmol/L = 72.06 mg/dL (glucose 180.16 g/mol): 72.0 is a hypo, 72.1 is not
    ("blood_glucose", "mg/dL", [(72.0, CONTACT), (72.1, OK), (72.2, OK)]),
    ("blood_glucose", "mmol/L", [(3.9, CONTACT), (4.0, OK), (4.1, OK)]),
    # 15 mmol/L = 270.24 mg/dL; 20 mmol/L = 360.32 mg/dL
    ("blood_glucose", "mg/dL", [(270.2, OK), (270.3, CONTACT), (270.4, CONTACT)]),
    ("blood_glucose", "mg/dL", [(360.3, CONTACT), (360.4, CALL), (360.5, CALL)]),
    # 38.0 °C = 100.4 °F, 40.0 °C = 104.0 °F, 35.0 °C = 95.0 °F
    ("body_temperature", "[degF]", [(100.3, OK), (100.4, INFO), (100.5, INFO)]),
    ("body_temperature", "[degF]", [(103.9, INFO), (104.0, CALL), (104.1, CALL)]),
    ("body_temperature", "[degF]", [(94.9, CALL), (95.0, OK), (95.1, OK)]),
    ("body_temperature", "Cel", [(34.9, CALL), (35.0, OK), (35.1, OK)]),
]


@pytest.mark.parametrize(
    ("type", "unit", "value", "expected"),
    [
        pytest.param(t, unit, value, expected, id=f"{t}-{unit}-{value}")
        for t, unit, cases in ENTERED_LIMITS
        for value, expected in cases
    ],
)
def test_an_entered_reading_at_the_limit_in_each_unit(session, patient, type, unit, value, expected):
    result = record_measurement(session=session, user_id=patient.id, type=type, form_values={"value": str(value)},
                                unit=unit, measured_at=NOW, token=new_form_token(), confirm=True, lang="en",
                                now=NOW)  # fmt: skip
    assert result.advice.severity == expected
    assert result.measurement.severity == expected
    assert result.measurement.flagged is (expected in (CONTACT, CALL, EMERGENCY))


def test_a_personal_limit_on_an_entry_in_another_unit(session, patient, clinician):
    from pgo.measurements.plans import create_plan

    # the clinician sets "under 5.0 mmol/L: contact"; the patient measures in mg/dL (5.0 mmol/L = 90.08 mg/dL)
    create_plan(session=session, patient_id=patient.id, clinician_id=clinician.id, type="blood_glucose", days=7,
                start_date=TODAY, thresholds=[{"direction": "below", "limit_value": 5.0}])  # fmt: skip
    for value, expected in ((90.0, CONTACT), (90.1, OK)):
        result = record_measurement(session=session, user_id=patient.id, type="blood_glucose",
                                    form_values={"value": str(value)}, unit="mg/dL", measured_at=NOW,
                                    token=new_form_token(), lang="en", now=NOW)  # fmt: skip
        assert (result.advice.severity, result.advice.personal) == (expected, True), value
