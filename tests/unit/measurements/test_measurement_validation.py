"""Every validation rule, per type, in Dutch and English, at each reading level."""

from datetime import UTC, datetime, timedelta

import pytest

from pgo.i18n import use_locale
from pgo.measurements.types import TYPES, get_type
from pgo.measurements.units import convert
from pgo.measurements.validation import validate_entry

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)  # a Wednesday

NUMERIC = [t for t in TYPES.values() if not t.is_note]
FIELDS = [(t.key, f.name) for t in NUMERIC for f in t.fields]


def valid_form(key: str) -> dict:
    """A form with a usual value for every field (midpoint of the usual range)."""
    mtype = get_type(key)
    form = {f.name: str(round((f.usual[0] + f.usual[1]) / 2)) for f in mtype.fields}
    if key == "blood_pressure":
        form.update(systolic="130", diastolic="80")
    return form


def check(key, form, unit=None, measured_at=NOW, level="standard", lang="en"):
    with use_locale(lang):
        return validate_entry(get_type(key), form, unit, measured_at, now=NOW, level=level)


@pytest.mark.parametrize("key", [t.key for t in NUMERIC])
def test_usual_values_pass(key):
    result = check(key, valid_form(key))
    assert result.ok and not result.warnings
    assert set(result.values) >= {f.name for f in get_type(key).fields if f.required}


@pytest.mark.parametrize(("key", "name"), FIELDS)
def test_impossible_values_are_refused(key, name):
    spec = get_type(key).field(name)
    for bad in (spec.plausible[0] - 1, spec.plausible[1] + 1):
        form = {**valid_form(key), name: str(bad)}
        result = check(key, form)
        assert name in result.errors, (key, name, bad)
        assert not result.ok


@pytest.mark.parametrize(("key", "name"), FIELDS)
def test_plausible_bounds_themselves_are_not_refused_for_range(key, name):
    spec = get_type(key).field(name)
    form = {**valid_form(key), name: str(spec.plausible[1])}
    if name == "diastolic":
        form["systolic"] = "300"
    result = check(key, form)
    assert name not in result.errors


@pytest.mark.parametrize(
    ("key", "name"), [(k, n) for k, n in FIELDS if get_type(k).field(n).usual != get_type(k).field(n).plausible]
)
def test_unlikely_values_ask_for_confirmation(key, name):
    spec = get_type(key).field(name)
    low, high = spec.usual
    candidates = [v for v in (low - 0.5, high + 0.5) if spec.plausible[0] <= v <= spec.plausible[1]]
    assert candidates
    for value in candidates:
        form = {**valid_form(key), name: str(value)}
        if name == "diastolic" and value > 100:
            form["systolic"] = "250"
        if name == "systolic":
            form["diastolic"] = "60"
        result = check(key, form)
        assert name in result.warnings and result.needs_confirmation, (key, name, value)


def test_standard_message_names_the_limits_in_dutch():
    result = check("blood_pressure", {"systolic": "320", "diastolic": "80"}, lang="nl")
    assert result.errors["systolic"] == "Systolisch moet tussen 50 en 300 liggen."


def test_simple_message_in_dutch():
    result = check("blood_pressure", {"systolic": "320", "diastolic": "80"}, lang="nl", level="simple")
    assert result.errors["systolic"] == "Dit getal kan niet kloppen. Kijk nog eens op uw meter."


def test_detailed_message_gives_the_unit_the_person_used():
    result = check("body_weight", {"value": "1000"}, unit="[lb_av]", level="detailed")
    assert result.errors["value"] == "Weight must be between 0.7 and 881.8 lb. 1000 lb is not possible."


def test_levels_give_different_messages():
    texts = {
        check("heart_rate", {"value": "400"}, level=lvl).errors["value"] for lvl in ("simple", "standard", "detailed")
    }
    assert len(texts) == 3


def test_future_date_refused():
    result = check("heart_rate", {"value": "70"}, measured_at=NOW + timedelta(hours=1), lang="nl")
    assert "toekomst" in result.errors["measured_at"]


@pytest.mark.parametrize("day", [datetime(1, 1, 1, tzinfo=UTC), datetime(1850, 1, 1, tzinfo=UTC)])
def test_dates_before_1900_refused(day):
    """#17: 0001-01-01 and 1850-01-01 were accepted (one date rule for every entry path)."""
    result = check("heart_rate", {"value": "70"}, measured_at=day, lang="nl")
    assert "1900" in result.errors["measured_at"]
    assert check("heart_rate", {"value": "70"}, measured_at=datetime(1900, 1, 1, 12, tzinfo=UTC)).ok


def test_a_few_minutes_of_clock_skew_is_allowed():
    assert check("heart_rate", {"value": "70"}, measured_at=NOW + timedelta(minutes=2)).ok


def test_missing_time_named():
    assert "measured_at" in check("heart_rate", {"value": "70"}, measured_at=None).errors


@pytest.mark.parametrize(("systolic", "diastolic"), [("80", "80"), ("70", "90")])
def test_systolic_must_exceed_diastolic(systolic, diastolic):
    result = check("blood_pressure", {"systolic": systolic, "diastolic": diastolic}, lang="nl")
    assert result.errors["systolic"] == "Systolisch moet hoger zijn dan diastolisch."


def test_missing_fields_are_named_each():
    result = check("blood_pressure", {"systolic": "", "diastolic": " "})
    assert set(result.errors) == {"systolic", "diastolic"}
    assert "Systolic" in result.errors["systolic"] and "Diastolic" in result.errors["diastolic"]


def test_heart_rate_with_blood_pressure_is_optional_but_checked():
    assert check("blood_pressure", {"systolic": "130", "diastolic": "80"}).ok
    assert "heart_rate" in check("blood_pressure", {"systolic": "130", "diastolic": "80", "heart_rate": "999"}).errors


def test_non_numeric_refused_with_example_in_the_language():
    assert "72,5" in check("body_weight", {"value": "veel"}, lang="nl").errors["value"]
    assert "72.5" in check("body_weight", {"value": "lots"}, lang="en").errors["value"]


def test_decimal_comma_accepted():
    result = check("body_weight", {"value": "72,5"})
    assert result.ok and result.values["value"] == 72.5


def test_pain_score_must_be_whole():
    assert "value" in check("pain_score", {"value": "3,5"}).errors
    assert check("pain_score", {"value": "10"}).ok


def test_units_convert_before_range_checks():
    result = check("blood_glucose", {"value": "108"}, unit="mg/dL")
    assert result.ok and result.values["value"] == pytest.approx(convert(108, "mg/dL", "mmol/L"), abs=1e-3)
    assert check("body_temperature", {"value": "98,6"}, unit="°F").values["value"] == pytest.approx(37, abs=0.01)
    assert "value" in check("body_temperature", {"value": "98.6"}, unit="Cel").errors


def test_unknown_unit_refused():
    assert "unit" in check("body_weight", {"value": "70"}, unit="stone").errors


def test_feeling_note_required():
    assert "note" in check("feeling", {"note": "  "}).errors
    result = check("feeling", {"note": "Moe maar goed"})
    assert result.ok and result.note == "Moe maar goed"


# --- #23 (2026-12-03): each problem in the words of the person's reading level, and what is kept of an entry ---

SIMPLE_WORDS = [
    ("body_weight", {"value": "veel"}, None, NOW, "value", "Write only a number, like 72.5."),
    ("pain_score", {"value": "3,5"}, None, NOW, "value", "Choose a whole number, like 3."),
    ("body_weight", {"value": ""}, None, NOW, "value", "Fill in this number: Weight."),
    ("blood_pressure", {"systolic": "120", "diastolic": "130"}, None, NOW, "systolic", "The upper number must be "
     "higher than the lower number."),
    ("feeling", {"note": " "}, None, NOW, "note", "Write a few words about how you feel."),
    ("body_weight", {"value": "70"}, "stone", NOW, "unit", "Choose a unit from the list."),
    ("body_weight", {"value": "70"}, None, None, "measured_at", "Fill in when you measured."),
    ("body_weight", {"value": "70"}, None, NOW + timedelta(hours=1), "measured_at", "This time has not come yet. "
     "Fill in when you measured."),
    ("body_weight", {"value": "70"}, None, datetime(1899, 12, 31, tzinfo=UTC), "measured_at", "This date is too "
     "long ago. Fill in a date from 1900 on."),
]  # fmt: skip


@pytest.mark.parametrize(("key", "form", "unit", "measured_at", "name", "message"), SIMPLE_WORDS)
def test_a_person_at_the_simple_level_reads_simple_words_for_every_error(key, form, unit, measured_at, name, message):
    assert check(key, form, unit=unit, measured_at=measured_at, level="simple").errors == {name: message}


def test_an_unusual_value_asks_for_confirmation_in_the_words_of_each_level():
    assert check("heart_rate", {"value": "190"}, level="simple").warnings == {
        "value": "This number is unusual. Look again. Is it right? Then confirm it."
    }
    assert check("heart_rate", {"value": "190"}).warnings == {
        "value": "Heart rate of 190 /min is unusual. Check the value, and confirm it if it is right."
    }


def test_standard_and_detailed_messages_name_the_field_the_unit_and_the_numbers():
    assert check("pain_score", {"value": "3,5"}).errors == {"value": "Pain score must be a whole number."}
    assert check("body_weight", {"value": "70"}, measured_at=None).errors == {
        "measured_at": "Enter the date and time of the measurement."
    }
    assert check("body_weight", {"value": ""}, unit="[lb_av]", level="detailed").errors == {
        "value": "Enter a value for Weight in lb."
    }
    assert check("blood_pressure", {"systolic": "75", "diastolic": "90"}, level="detailed").errors == {
        "systolic": "Systolic (75) must be higher than diastolic (90). Did you swap them?"
    }


def test_a_too_long_note_names_the_limit():
    result = check("body_weight", {"value": "70", "note": "a" * 2001})
    assert result.errors == {"note": "Keep your note under 2000 characters."}


def test_systolic_below_diastolic_is_an_error_not_also_a_question_to_confirm():
    # 75 is below the usual 80 (a warning on its own), but lower than the diastolic 90 it is simply wrong
    result = check("blood_pressure", {"systolic": "75", "diastolic": "90"})
    assert set(result.errors) == {"systolic"} and result.warnings == {}
    assert not result.needs_confirmation


def test_an_empty_unit_choice_means_the_canonical_unit_and_every_offered_unit_is_accepted():
    result = check("body_weight", {"value": "70"}, unit="")
    assert (result.ok, result.unit, result.values) == (True, "kg", {"value": 70.0})
    for mtype in NUMERIC:
        for unit in mtype.entry_units:  # the form posts the UCUM code of the chosen unit
            assert "unit" not in check(mtype.key, valid_form(mtype.key), unit=unit).errors, (mtype.key, unit)


def test_a_converted_value_is_stored_to_three_decimals_and_the_typed_value_kept():
    # 100 mg/dL glucose / 18.016 = 5.55062 mmol/L
    result = check("blood_glucose", {"value": "100"}, unit="mg/dL")
    assert (result.values, result.entered) == ({"value": 5.551}, {"value": 100.0})


def test_a_reading_without_a_note_keeps_an_empty_note():
    assert check("body_weight", {"value": "70"}).note == ""
    assert check("body_weight", {"value": "70", "note": None}).note == ""
