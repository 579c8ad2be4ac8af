"""#16 (2026-12-03): numbers and units as Dutch and English patients read and hear them."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pgo.quantities import conversion_factor, number_text, quantity_text, unit_text, unit_words


@pytest.mark.parametrize(
    "value,limits,nl,en",
    [
        (143.255, (), "143", "143"),
        (143.255, (135, 145), "143", "143"),
        (78.0929, (), "78,1", "78.1"),
        (4.237, (3.5, 5.0), "4,2", "4.2"),
        (0.0412, (0, 1), "0,041", "0.041"),
        (0.30000000000000004, (), "0,3", "0.3"),
        (12345.6, (), "12.346", "12,346"),
        (5.0, (), "5", "5"),
    ],
)
def test_numbers_in_the_languages_way_at_a_sensible_precision(value, limits, nl, en):
    assert number_text(value, "nl", limits=limits) == nl
    assert number_text(value, "en", limits=limits) == en


@pytest.mark.parametrize(
    "code,nl,en",
    [
        ("mmol/L", "mmol/l", "mmol/L"),
        ("umol/L", "µmol/l", "µmol/L"),
        ("mm[Hg]", "mmHg", "mmHg"),
        ("[pH]", "", ""),
        ("mL/min/{1.73_m2}", "ml/min/1,73 m²", "mL/min/1.73 m²"),
        ("%", "%", "%"),
        ("10*9/L", "10⁹/l", "10⁹/L"),
        ("kg/m2", "kg/m²", "kg/m²"),
        ("Cel", "°C", "°C"),
        ("[IU]/L", "IE/l", "IU/L"),
        ("{score}", "", ""),
        ("mg/dL", "mg/dl", "mg/dL"),
    ],
)
def test_units_as_people_write_them(code, nl, en):
    assert unit_text(code, "nl") == nl
    assert unit_text(code, "en") == en


def test_units_in_words_for_read_aloud():
    assert unit_words("mmol/L", "nl") == "millimol per liter"
    assert unit_words("mm[Hg]", "nl") == "millimeter kwik"
    assert unit_words("umol/L", "en") == "micromoles per litre"
    assert unit_words("kg/m2", "nl") == "kilogram per vierkante meter"


def test_a_ph_has_no_unit_and_a_percentage_sits_against_its_number():
    assert quantity_text(7.41, "[pH]", "nl") == "7,41"
    assert quantity_text(12.5, "%", "nl") == "12,5%"
    assert quantity_text(5, "mmol/L", "nl", comparator="<") == "< 5 mmol/l"


def test_units_that_measure_the_same_thing_convert_and_others_do_not():
    assert conversion_factor("umol/L", "mmol/L") == pytest.approx(0.001)
    assert conversion_factor("mmol/L", "mmol/l") == 1
    assert conversion_factor("mg/dL", "mmol/L") is None
    assert conversion_factor("[in_i]", "cm") == pytest.approx(2.54)


UCUM = st.sampled_from(["mmol/L", "umol/L", "mm[Hg]", "[pH]", "mL/min/{1.73_m2}", "10*9/L", "{cells}/uL", "[IU]/L",
                        "kg/m2", "mg/dL", "/min", "Cel", "{score}", "mL{total}", "[arb'U]/mL", "{ratio}"])  # fmt: skip


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), UCUM)
def test_no_decimal_point_in_dutch_and_no_ucum_syntax_anywhere(value, code):
    for lang in ("nl", "en"):
        text = quantity_text(value, code, lang)
        assert not re.search(r"[\[\]{}]", text), text
    dutch = quantity_text(value, code, "nl")
    assert not re.search(r"\d\.\d{1,2}(?!\d)", dutch.split(" ")[0]), dutch  # a point groups thousands only


@given(st.floats(min_value=1e-6, max_value=1e6, allow_nan=False))
@example(999999.5)  # found by Hypothesis on 2026-12-03: the rounding carry
def test_never_more_than_three_significant_digits_without_a_range(value):
    digits = re.sub(r"\D", "", number_text(value, "en")).lstrip("0")
    # the whole part, rounded as shown: 999,999.5 rounds to 1,000,000 (a carry adds a digit, it is not precision)
    assert len(digits) <= max(3, len(str(math.floor(value + 0.5)))), (value, number_text(value, "en"))
