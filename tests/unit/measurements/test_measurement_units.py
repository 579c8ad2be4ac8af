"""Unit conversion through pint and the number parser."""

import pytest

from pgo.measurements.types import TYPES, unit_code
from pgo.measurements.units import UnitError, convert, parse_number


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1, "[lb_av]", "kg", 0.45359237),
        (100, "kg", "[lb_av]", 220.462262),
        (37, "Cel", "[degF]", 98.6),
        (212, "[degF]", "Cel", 100),
        (-40, "Cel", "[degF]", -40),
        (1, "[in_i]", "cm", 2.54),
        (5.5, "mmol/L", "mg/dL", 99.088),
        (180.16, "mg/dL", "mmol/L", 10.0),
        (100, "mg/dL", "mmol/L", 5.5506),
        (2400, "g", "kg", 2.4),
    ],
)
def test_known_conversions(value, source, target, expected):
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-5)


def test_glucose_round_trip():
    assert convert(convert(7.8, "mmol/L", "mg/dL"), "mg/dL", "mmol/L") == pytest.approx(7.8)


def test_incompatible_units_raise():
    with pytest.raises(UnitError, match="cannot convert kg to cm"):
        convert(1, "kg", "cm")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("72,5", 72.5), ("72.5", 72.5), (" 120 ", 120.0), ("-3", -3.0), (",5", 0.5), ("7,", 7.0), (60, 60.0)],
)
def test_parse_number_accepts_decimal_comma(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.234,5", "1e5", "nan", "inf", "12 kg", None, True, float("nan")])
def test_parse_number_refuses_what_is_not_a_number(text):
    assert parse_number(text) is None


def test_every_entry_unit_converts_to_the_canonical_unit():
    for mtype in TYPES.values():
        for unit in mtype.entry_units:
            if mtype.unit:
                assert convert(100, unit, mtype.unit) > 0


@pytest.mark.parametrize(("text", "code"), [("mmHg", "mm[Hg]"), ("°C", "Cel"), ("lb", "[lb_av]"), ("mg/dl", "mg/dL")])
def test_unit_aliases(text, code):
    assert unit_code(text) == code


# #23 (2026-12-03): what a phone keyboard or a held-down key produces
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u22122,5", -2.5),  # the typographic minus sign some keyboards give
        ("\u2212 3", -3.0),
        ("72, 5", 72.5),  # a space typed after the decimal comma
        ("- 3", -3.0),
    ],
)
def test_parse_number_reads_a_typographic_minus_and_stray_spaces(text, expected):
    assert parse_number(text) == expected


def test_parse_number_refuses_a_number_too_large_for_a_float():
    assert parse_number("9" * 400) is None  # 400 nines: infinite as a float, not a measurement


# #23 (2026-12-03): a space between two digits is a typo or a thousands separator, never a number to guess
@pytest.mark.parametrize("text", ["7 2", "1 234", "12 0,5", "5\u00a03"])
def test_parse_number_refuses_a_space_between_digits(text):
    assert parse_number(text) is None
