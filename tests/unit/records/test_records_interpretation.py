import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pgo.literacy.readability import check
from pgo.records.interpretation import INTERPRETATION_CODES, ReferenceRange, interpret

RANGES = [ReferenceRange(3.5, 5.0), ReferenceRange(None, 5.0), ReferenceRange(3.5, None), None]
VALUES = [2.0, 4.2, 7.5, "positief"]
PREVIOUS = [None, 4.1, 7.0]
CODES = [None, "H", "HH", "L", "LL", "A", "N"]


@pytest.mark.parametrize("lang,level", list(itertools.product(("nl", "en"), ("simple", "standard"))))
def test_every_case_passes_the_gate_and_says_what_to_ask(lang, level):
    for reference, value, previous, code in itertools.product(RANGES, VALUES, PREVIOUS, CODES):
        result = interpret(
            value, "mmol/l", reference=reference, interpretation_code=code, previous=previous, level=level, lang=lang
        )
        assert result.ask
        assert check(result.text, lang, level) == [], result.text


def test_dutch_simple_example():
    result = interpret(8.1, "mmol/l", reference=ReferenceRange(4.0, 6.1), previous=7.0, level="simple", lang="nl")
    assert result.status == "high" and result.direction == "higher" and result.previous_status == "high"
    assert result.sentences[0] == "Uw uitslag is hoger dan normaal."
    assert "De vorige keer was hij ook hoog." in result.sentences
    assert "6,1" in result.range_text


def test_only_upper_limit():
    assert interpret(4.0, reference=ReferenceRange(None, 5.0)).status == "normal"
    assert interpret(6.0, reference=ReferenceRange(None, 5.0), lang="en").range_text == "< 5"


def test_the_labs_own_code_wins_over_the_range():
    """#16: the card's flag has always followed the lab's code; the words now follow the same decision."""
    assert interpret(9.0, interpretation_code="LL").status == "low"
    assert interpret(9.0, reference=ReferenceRange(1, 10), interpretation_code="LL").status == "low"
    assert interpret(12.0, reference=ReferenceRange(1, 10), interpretation_code="N").status == "normal"
    very = interpret(9.0, interpretation_code="HH", lang="en")
    assert very.far_out and "soon" in very.ask


def test_about_the_same_and_previous_normal():
    result = interpret(4.9, reference=ReferenceRange(3.5, 5.0), previous=4.85, lang="en")
    assert result.direction == "same"
    result = interpret(6.0, reference=ReferenceRange(3.5, 5.0), previous=4.0, lang="en")
    assert "Last time it was normal." in result.sentences


def test_text_value_and_no_range():
    result = interpret("negatief", lang="nl")
    assert result.status == "unknown" and result.sentences[0] == "Het lab schreef: negatief."


# #16 (2026-12-03): generated cases; the status, the sentences and the range agree in nl and en.
_LIMIT = st.one_of(st.none(), st.floats(min_value=-50, max_value=500, allow_nan=False))
_CODE = st.sampled_from([None, "H", "HH", "L", "LL", "A", "N", "POS", "XYZ"])


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-50, max_value=500, allow_nan=False), _LIMIT, _LIMIT, _CODE, st.sampled_from(["nl", "en"]))
def test_generated_results_never_contradict_themselves(value, low, high, code, lang):
    result = interpret(value, "mmol/L", reference=ReferenceRange(low, high), interpretation_code=code, lang=lang)
    first = result.sentences[0].lower()
    higher, lower = ("hoger", "lager") if lang == "nl" else ("higher", "lower")
    if result.status == "high":
        assert higher in first and lower not in first
    elif result.status == "low":
        assert lower in first and higher not in first
    else:
        assert higher not in result.text.lower() and lower not in result.text.lower()
    if low is not None and high is not None and low > high and code not in INTERPRETATION_CODES:
        assert result.status == "unknown" and result.range_problem == "reversed"
    assert "." not in result.range_text.replace(" ", "").rstrip(".") or lang == "en"
