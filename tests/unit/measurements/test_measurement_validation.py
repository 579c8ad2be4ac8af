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
