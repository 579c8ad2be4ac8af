"""Reading an Observation from FHIR (#23, 2026-12-03): its value in every value[x] form, its reference range (in
the value's units or converted to them), the lab's own interpretation code, blood pressure from its components,
and the flag a value gets on each limit of its range, one step below and above."""

from __future__ import annotations

import pytest

from pgo.records.normalise import normalise
from pgo.records.observations import format_number, number, quantity, value_of

LAB = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}]


def _observation(**fields) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]},
        **fields,
    }


def _read(**fields):
    return normalise(_observation(**fields))


def _creatinine(value: float, unit: str, low: float | None, high: float | None, range_unit: str):
    limits = {}
    if low is not None:
        limits["low"] = {"value": low, "unit": range_unit}
    if high is not None:
        limits["high"] = {"value": high, "unit": range_unit}
    return _read(valueQuantity={"value": value, "unit": unit}, referenceRange=[limits])


@pytest.mark.parametrize(
    ("value", "flag"), [(0.49, "low"), (0.5, ""), (0.51, ""), (0.99, ""), (1.0, ""), (1.01, "high")]
)
def test_flag_on_and_beside_each_limit_in_the_ranges_own_unit(value, flag):
    result = _creatinine(value, "mmol/L", 0.5, 1.0, "mmol/L")
    assert (result.value_num, result.ref_low, result.ref_high, result.flag) == (value, 0.5, 1.0, flag)
    assert result.ref_text == ""  # the lab gave no text of its own
    assert "range_converted_from" not in result.details


@pytest.mark.parametrize(("value", "flag"), [(499, "low"), (500, ""), (501, ""), (999, ""), (1000, ""), (1001, "high")])
def test_a_value_exactly_on_a_converted_limit_is_normal(value, flag):
    """A range in mmol/L for a value in umol/L: 0.5 mmol/L is exactly 500 umol/L (it used to become
    500.00000000000006 and flag a value of 500 as low)."""
    result = _creatinine(value, "umol/L", 0.5, 1.0, "mmol/L")
    assert (result.ref_low, result.ref_high, result.flag) == (500, 1000, flag)
    assert result.details["range_converted_from"] == "mmol/L"
    assert result.unit == "umol/L"


def test_one_converted_limit_leaves_the_other_missing():
    only_low = _creatinine(40, "umol/L", 0.05, None, "mmol/L")
    assert (only_low.ref_low, only_low.ref_high, only_low.flag) == (50, None, "low")
    only_high = _creatinine(120, "umol/L", None, 0.11, "mmol/L")
    assert (only_high.ref_low, only_high.ref_high, only_high.flag) == (None, 110, "high")


def test_a_range_in_units_that_measure_something_else_is_kept_but_not_compared():
    result = _creatinine(8, "mmol/L", None, 5, "mg")
    assert (result.ref_high, result.flag) == (5, "")
    assert result.details["range_unit"] == "mg"
    assert result.details["range_unit_differs"] is True


def test_a_range_unit_written_differently_is_the_same_unit():
    result = _creatinine(5.1, "mmol/L", None, 5, " MMOL/L ")
    assert (result.ref_high, result.flag) == (5, "high")
    assert "range_unit_differs" not in result.details and "range_converted_from" not in result.details


def test_a_value_without_a_unit_takes_the_ranges_unit():
    result = _read(valueQuantity={"value": 8}, referenceRange=[{"high": {"value": 5, "code": "mmol/L"}}])
    assert (result.unit, result.flag) == ("mmol/L", "high")
    from_low = _read(valueQuantity={"value": 2}, referenceRange=[{"low": {"value": 3, "unit": "mmol/L"}}])
    assert (from_low.unit, from_low.flag) == ("mmol/L", "low")


def test_only_the_first_reference_range_is_used_with_its_text():
    result = _read(
        valueQuantity={"value": 12, "unit": "mmol/L"},
        referenceRange=[
            {"low": {"value": 10, "unit": "mmol/L"}, "high": {"value": 20, "unit": "mmol/L"}, "text": "10-20"},
            {"low": {"value": 13, "unit": "mmol/L"}, "high": {"value": 15, "unit": "mmol/L"}},
        ],
    )
    assert (result.ref_low, result.ref_high, result.ref_text, result.flag) == (10, 20, "10-20", "")
    long_text = _read(valueQuantity={"value": 1}, referenceRange=[{"text": "x" * 500}])
    assert long_text.ref_text == "x" * 300
    assert (long_text.ref_low, long_text.ref_high) == (None, None)


def test_no_usable_reference_range():
    for ranges in ([], ["10-20"], {"low": {"value": 1}}, None):
        result = _read(valueQuantity={"value": 12, "unit": "mmol/L"}, referenceRange=ranges)
        assert (result.ref_low, result.ref_high, result.ref_text, result.flag) == (None, None, "", "")


@pytest.mark.parametrize(
    ("comparator", "value", "flag"),
    [
        ("<", 0.5, "low"),
        ("<=", 0.5, ""),
        ("<=", 0.49, "low"),
        (">", 1.0, "high"),
        (">=", 1.0, ""),
        (">=", 1.01, "high"),
    ],
)
def test_a_value_with_a_comparator_is_flagged_only_when_certain(comparator, value, flag):
    result = _read(
        valueQuantity={"value": value, "unit": "mmol/L", "comparator": comparator},
        referenceRange=[{"low": {"value": 0.5, "unit": "mmol/L"}, "high": {"value": 1.0, "unit": "mmol/L"}}],
    )
    assert (result.comparator, result.value_text, result.flag) == (comparator, f"{comparator}{value:g}", flag)


def test_the_labs_own_interpretation_code_wins_and_is_kept_in_upper_case():
    result = _read(
        valueQuantity={"value": 0.7, "unit": "mmol/L"},
        referenceRange=[{"low": {"value": 0.5, "unit": "mmol/L"}, "high": {"value": 1.0, "unit": "mmol/L"}}],
        interpretation=[{"coding": [{"code": "unknown-code"}, {"code": "hh"}]}, {"coding": [{"code": "L"}]}],
    )
    assert (result.details["interpretation"], result.flag) == ("HH", "high")
    single = _read(valueQuantity={"value": 0.7}, interpretation={"coding": [{"code": "A"}]})
    assert (single.details["interpretation"], single.flag) == ("A", "abnormal")
    unknown = _read(valueQuantity={"value": 0.7}, interpretation=[{"coding": [{"code": "zz"}]}])
    assert (unknown.details["interpretation"], unknown.flag) == ("", "")


def test_a_reversed_range_never_flags_but_the_labs_code_still_does():
    reversed_range = [{"low": {"value": 45, "unit": "U/L"}, "high": {"value": 35, "unit": "U/L"}}]
    assert _read(valueQuantity={"value": 36, "unit": "U/L"}, referenceRange=reversed_range).flag == ""
    coded = _read(
        valueQuantity={"value": 36, "unit": "U/L"},
        referenceRange=reversed_range,
        interpretation=[{"coding": [{"code": "L"}]}],
    )
    assert coded.flag == "low"


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ([{"coding": [{"code": "vital-signs"}]}], "vital"),
        ([{"coding": [{"system": "http://snomed.info/sct", "code": "46680005"}]}], "vital"),
        (LAB, "lab"),
        ({"coding": [{"code": "laboratory"}]}, "lab"),
        ([{"coding": [{"system": "http://snomed.info/sct", "code": "49581000146104"}]}], "lab"),
        ([{"coding": [{"system": "http://snomed.info/sct", "code": "275711006"}]}], "lab"),
        ([{"coding": [{"code": "social-history"}]}], "other"),
    ],
)
def test_the_kind_of_observation_follows_its_category(category, kind):
    assert _read(category=category, valueQuantity={"value": 1}).details["kind"] == kind


def test_a_blood_pressure_panel_is_a_vital_sign_and_text_without_a_category_is_text():
    panel = normalise(
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
            "category": LAB,
        }
    )
    assert panel.details["kind"] == "vital"
    assert _read(valueString="Hemolytisch").details["kind"] == "text"
    assert _read(valueString="Hemolytisch", category=LAB).details["kind"] == "lab"


def _component(code: str, value: float, unit: str = "mm[Hg]") -> dict:
    return {
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "valueQuantity": {"value": value, "unit": unit},
    }


def test_blood_pressure_from_its_components():
    result = _read(
        category=[{"coding": [{"code": "vital-signs"}]}],
        component=[_component("8480-6", 140), "not a component", _component("8462-4", 90)],
    )
    assert (result.value_text, result.value_num, result.unit) == ("140/90", 140, "mm[Hg]")
    assert result.details["blood_pressure"] == {"systolic": 140, "diastolic": 90}
    assert [part["value"] for part in result.details["components"]] == ["140", "90"]
    assert result.details["components"][0] == {
        "codes": ["8480-6"],
        "title": "8480-6",
        "value": "140",
        "number": 140,
        "unit": "mm[Hg]",
    }
    assert [c["code"] for c in result.codings] == ["2160-0", "8480-6", "8462-4"]


def test_blood_pressure_takes_the_diastolic_unit_when_the_systolic_has_none():
    result = _read(component=[_component("8480-6", 140, ""), _component("8462-4", 90)])
    assert (result.value_text, result.unit) == ("140/90", "mm[Hg]")


def test_no_blood_pressure_without_both_parts_or_when_the_observation_has_its_own_value():
    systolic_only = _read(component=[_component("8480-6", 140)])
    assert (systolic_only.value_text, systolic_only.value_num) == ("", None)
    assert "blood_pressure" not in systolic_only.details
    assert len(systolic_only.details["components"]) == 1
    own_value = _read(
        valueQuantity={"value": 7, "unit": "mmol/L"}, component=[_component("8480-6", 140), _component("8462-4", 90)]
    )
    assert (own_value.value_text, own_value.value_num, own_value.unit) == ("7", 7, "mmol/L")
    nothing = _read(component=["x"])
    assert "components" not in nothing.details


def test_a_coded_answer_is_kept_for_the_readers_language():
    result = _read(valueCodeableConcept={"coding": [{"system": "http://snomed.info/sct", "code": "10828004"}]})
    assert result.details.get("answer") == [["http://snomed.info/sct", "10828004"]]
    assert "answer" not in _read(valueCodeableConcept={"text": "iets"}).details


@pytest.mark.parametrize(
    ("holder", "expected"),
    [
        ({"valueQuantity": {"value": 4.2, "unit": "mmol/L"}}, ("4.2", 4.2, "", "mmol/L")),
        ({"valueQuantity": {"value": "5", "code": "mmol/L", "comparator": "<"}}, ("<5", 5.0, "<", "mmol/L")),
        ({"valueQuantity": {"value": 5, "unit": "", "code": "mmol/L"}}, ("5", 5.0, "", "mmol/L")),
        ({"valueQuantity": "7"}, ("", None, "", "")),
        ({"valueCodeableConcept": {"text": "positief"}}, ("positief", None, "", "")),
        ({"valueBoolean": True}, ("yes", None, "", "")),
        ({"valueBoolean": False}, ("no", None, "", "")),
        ({"valueInteger": 7}, ("7", 7.0, "", "")),
        ({"valueRange": {"low": {"value": 1, "unit": "g"}, "high": {"value": 2}}}, ("1-2", None, "", "g")),
        ({"valueRange": {"high": {"value": 2, "unit": "kg"}}}, ("-2", None, "", "kg")),
        ({"valueDateTime": "2021-01-01"}, ("2021-01-01", None, "", "")),
        ({"valueTime": "10:00:00"}, ("10:00:00", None, "", "")),
        ({"valuePeriod": {"start": "2021"}}, ("{'start': '2021'}", None, "", "")),
        ({}, ("", None, "", "")),
    ],
)
def test_value_of_every_value_type(holder, expected):
    assert value_of(holder) == expected


def test_long_values_are_cut():
    assert value_of({"valueString": "x" * 3000}) == ("x" * 2000, None, "", "")
    assert value_of({"valueDateTime": "2" * 300})[0] == "2" * 100


def test_numbers_from_fhir():
    assert (number(3), number(4.5), number("4.5"), number(" 7 ")) == (3.0, 4.5, 4.5, 7.0)
    assert (number(True), number("4,2"), number(None), number([1])) == (None, None, None, None)
    assert isinstance(number(3), float)
    assert (format_number(None), format_number(4.0), format_number(0.000012345)) == ("", "4", "1.2345e-05")
    assert (format_number(1e14), format_number(1e15)) == ("1e+14", "1000000000000000.0")
    assert quantity(None) == (None, "", "")
    assert quantity({"value": 5, "comparator": None, "unit": None}) == (5.0, "", "")
