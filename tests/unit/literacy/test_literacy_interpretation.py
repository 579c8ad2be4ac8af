import itertools

import pytest

from pgo.literacy.interpretation import ReferenceRange, interpret
from pgo.literacy.readability import check

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
