"""What a person reads about one lab value (#23, 2026-12-03): at each end of the lab's range, one step below and
above, with the FHIR comparators, at every reading level, in Dutch and English, against the previous result.

A FHIR referenceRange has inclusive ends (a value equal to a limit is normal); a value's comparator ("<", "<=",
">", ">=") makes it a bound, called low or high only when that is certain."""

from __future__ import annotations

import pytest

from pgo.records.interpretation import ReferenceRange, interpret, range_text
from pgo.records.ranges import Judgement

POTASSIUM = ReferenceRange(3.5, 5.0)


@pytest.mark.parametrize(
    ("value", "status", "first", "ask"),
    [
        (3.4, "low", "Your result is lower than normal.", "Ask your doctor what this means for you."),
        (3.5, "normal", "Your result is normal.", "Do you have questions? Ask your doctor or nurse."),
        (3.6, "normal", "Your result is normal.", "Do you have questions? Ask your doctor or nurse."),
        (4.9, "normal", "Your result is normal.", "Do you have questions? Ask your doctor or nurse."),
        (5.0, "normal", "Your result is normal.", "Do you have questions? Ask your doctor or nurse."),
        (5.1, "high", "Your result is higher than normal.", "Ask your doctor what this means for you."),
    ],
)
def test_a_value_on_either_limit_is_normal_and_one_step_beyond_is_not(value, status, first, ask):
    result = interpret(value, "mmol/L", reference=POTASSIUM, lang="en")
    assert (result.status, result.far_out, result.range_problem) == (status, False, "")
    assert result.sentences == (first, "The lab's normal range is 3.5 - 5 mmol/L.")
    assert result.ask == ask
    assert result.text == f"{first} The lab's normal range is 3.5 - 5 mmol/L. {ask}"


@pytest.mark.parametrize(
    ("value", "status", "first"),
    [
        (4.9, "normal", "Your result is normal."),
        (5.0, "normal", "Your result is normal."),
        (5.1, "high", "Your result is higher than normal."),
    ],
)
def test_an_upper_limit_alone_includes_the_limit(value, status, first):
    result = interpret(value, "mmol/L", reference=ReferenceRange(None, 5.0), lang="en")
    assert result.status == status
    assert result.sentences == (first, "The lab's normal range is < 5 mmol/L.")


@pytest.mark.parametrize(
    ("value", "status", "first"),
    [
        (59, "low", "Your result is lower than normal."),
        (60, "normal", "Your result is normal."),
        (61, "normal", "Your result is normal."),
    ],
)
def test_a_lower_limit_alone_includes_the_limit(value, status, first):
    result = interpret(value, "mL/min", reference=ReferenceRange(60, None), lang="en")
    assert result.status == status
    assert result.sentences == (first, "The lab's normal range is > 60 mL/min.")


@pytest.mark.parametrize(
    ("value", "comparator", "status"),
    [
        (3.5, "<", "low"),  # below 3.5: certainly below the lower limit
        (3.5, "<=", "unknown"),  # at most 3.5: may be 3.5, which is normal
        (3.6, "<", "unknown"),  # below 3.6: may be 3.5 or may be 3.4
        (3.4, "<=", "low"),
        (5.0, ">", "high"),
        (5.0, ">=", "unknown"),
        (4.9, ">", "unknown"),
        (5.1, ">=", "high"),
    ],
)
def test_a_value_with_a_comparator_is_only_low_or_high_when_certain(value, comparator, status):
    result = interpret(value, "mmol/L", reference=POTASSIUM, comparator=comparator, lang="en")
    assert result.status == status
    if status == "unknown":
        assert result.ask == "Ask your doctor what this result means."
        assert "The lab's normal range is 3.5 - 5 mmol/L." not in result.sentences


def test_a_bound_under_an_upper_limit_alone_is_normal():
    assert interpret(4.0, reference=ReferenceRange(None, 5.0), comparator="<", lang="en").status == "normal"
    assert interpret(70, reference=ReferenceRange(60, None), comparator=">", lang="en").status == "normal"


@pytest.mark.parametrize(
    ("level", "value", "sentences"),
    [
        ("simple", 3.4, ("Uw uitslag is lager dan normaal.", "Normaal is 3,5 - 5 mmol/l.")),
        ("simple", 5.1, ("Uw uitslag is hoger dan normaal.", "Normaal is 3,5 - 5 mmol/l.")),
        ("simple", 5.0, ("Uw uitslag is normaal.", "Normaal is 3,5 - 5 mmol/l.")),
        ("standard", 3.4, ("Uw uitslag is lager dan normaal.", "De normale waarde van het lab is 3,5 - 5 mmol/l.")),
        ("detailed", 3.4, ("Uw uitslag ligt onder de referentiewaarde (3,5 - 5 mmol/l).",)),
        ("detailed", 5.1, ("Uw uitslag ligt boven de referentiewaarde (3,5 - 5 mmol/l).",)),
        ("detailed", 3.5, ("Uw uitslag ligt binnen de referentiewaarde (3,5 - 5 mmol/l).",)),
    ],
)
def test_dutch_words_at_each_reading_level(level, value, sentences):
    result = interpret(value, "mmol/L", reference=POTASSIUM, level=level, lang="nl")
    assert result.sentences == sentences
    assert result.range_text == "3,5 - 5 mmol/l"


def test_detailed_level_without_a_range_uses_the_plain_words():
    assert interpret(9.0, interpretation_code="H", level="detailed", lang="en").sentences == (
        "Your result is higher than normal.",
    )
    assert interpret(1.0, interpretation_code="L", level="detailed", lang="en").sentences == (
        "Your result is lower than normal.",
    )
    assert interpret(4.0, interpretation_code="N", level="detailed", lang="en").sentences == ("Your result is normal.",)


@pytest.mark.parametrize(
    ("code", "status", "first"),
    [
        ("HH", "high", "Your result is much higher than normal."),
        ("LL", "low", "Your result is much lower than normal."),
    ],
)
def test_far_out_of_range_asks_to_contact_the_doctor_soon_at_every_level(code, status, first):
    for level in ("simple", "standard", "detailed"):
        result = interpret(4.2, "mmol/L", reference=POTASSIUM, interpretation_code=code, level=level, lang="en")
        assert (result.status, result.far_out) == (status, True)
        assert result.sentences[0] == first
        assert result.ask == "Contact your doctor soon about this result."


def test_the_labs_not_normal_code():
    result = interpret("positief", interpretation_code="POS", lang="en")
    assert result.status == "abnormal"
    assert result.sentences == ("The lab wrote: positief.", "The lab marked your result as not normal.")
    assert result.ask == "Ask your doctor what this means for you."
    assert result.value == "positief"


def test_a_text_value_is_quoted_without_its_full_stop_and_surrounding_space():
    assert interpret("  Hemolytisch.  ", lang="en").sentences[0] == "The lab wrote: Hemolytisch."
    other = interpret("Rookt niet.", lang="nl", kind="social")
    assert other.sentences == ("In uw dossier staat: Rookt niet.",)
    assert other.ask == "Hebt u vragen? Vraag het uw arts of verpleegkundige."
    blank = interpret("   ", lang="en")
    assert blank.sentences == ("The lab did not give a normal value for this result.",)


def test_a_lab_result_without_any_range_says_so_but_another_observation_does_not():
    lab = interpret(72, "/min", lang="en")
    assert lab.sentences == ("The lab did not give a normal value for this result.",)
    assert lab.ask == "Ask your doctor what this result means."
    vital = interpret(72, "/min", lang="en", kind="vital")
    assert vital.sentences == ()
    assert vital.ask == "Do you have questions? Ask your doctor or nurse."
    assert (vital.status, vital.range_text) == ("unknown", "")


def test_a_labs_own_range_text_is_shown_but_not_compared():
    result = interpret(4.0, "mmol/L", reference=ReferenceRange(text="zie opmerking"), lang="en")
    assert result.range_text == "zie opmerking"
    assert result.status == "unknown"
    assert result.sentences == ("It is not clear if your result is normal.",)


def test_a_value_whose_comparator_leaves_its_status_open_is_not_told_the_lab_gave_no_range():
    """'<= 3.5' against 3.5 - 5 may be low or normal: the lab did give a range (#23, 2026-12-03)."""
    result = interpret(3.5, "mmol/L", reference=ReferenceRange(3.5, 5.0), comparator="<=", lang="en")
    assert result.status == "unknown"
    assert result.range_text == "3.5 - 5 mmol/L"
    assert result.sentences == ("It is not clear if your result is normal.",)
    assert result.ask == "Ask your doctor what this result means."
    dutch = interpret(3.5, "mmol/L", reference=ReferenceRange(3.5, 5.0), comparator="<=", lang="nl")
    assert dutch.sentences == ("Het is niet zeker of uw uitslag normaal is.",)


def test_a_reversed_range_is_named_and_never_used_for_this_or_the_previous_result():
    result = interpret(4.0, "mmol/L", reference=ReferenceRange(5.0, 3.5), previous=9.0, lang="en")
    assert (result.status, result.range_problem, result.previous_status) == ("unknown", "reversed", None)
    assert result.sentences == (
        "The normal range the lab gave looks wrong: 5 - 3.5 mmol/L.",
        "So we do not compare your result with it.",
        "It is lower than last time.",
    )
    assert result.ask == "Ask your doctor what is normal for you."


def test_a_broken_range_with_the_labs_codes_keeps_both_codes():
    result = interpret(
        4.0,
        "mmol/L",
        reference=ReferenceRange(5.0, 3.5),
        interpretation_code="N",
        previous=9.0,
        previous_interpretation_code="H",
        lang="en",
    )
    assert (result.status, result.previous_status) == ("normal", "high")
    assert result.sentences[:3] == (
        "Your result is normal.",
        "The normal range the lab gave looks wrong: 5 - 3.5 mmol/L.",
        "So we do not compare your result with it.",
    )
    assert result.ask == "Do you have questions? Ask your doctor or nurse."


def test_a_broken_range_without_text_says_only_that_it_looks_wrong():
    judged = Judgement("unknown", False, "other-unit")
    result = interpret(4.0, judgement=judged, lang="en")
    assert result.sentences == (
        "The normal range the lab gave looks wrong.",
        "So we do not compare your result with it.",
    )


def test_the_given_judgement_decides_the_words_not_the_range():
    judged = Judgement("high", True, "")
    result = interpret(4.2, "mmol/L", reference=POTASSIUM, judgement=judged, lang="en")
    assert (result.status, result.far_out) == ("high", True)
    assert result.sentences[0] == "Your result is much higher than normal."


@pytest.mark.parametrize(
    ("value", "previous", "direction"),
    [
        (105.0, 100.0, "same"),  # exactly 5% higher: about the same
        (105.5, 100.0, "higher"),
        (95.0, 100.0, "same"),  # exactly 5% lower: about the same
        (94.5, 100.0, "lower"),
        (-105.0, -100.0, "same"),  # a negative previous value (a base excess) counts by its size
        (-106.0, -100.0, "lower"),
        (0.0, 0.0, "same"),
        (0.1, 0.0, "higher"),
        (-0.1, 0.0, "lower"),
    ],
)
def test_the_change_since_last_time_counts_as_the_same_within_five_percent(value, previous, direction):
    result = interpret(value, reference=ReferenceRange(-200, 200), previous=previous, lang="en")
    assert result.direction == direction
    expected = {
        "same": "It is about the same as last time.",
        "higher": "It is higher than last time.",
        "lower": "It is lower than last time.",
    }[direction]
    assert expected in result.sentences


def test_no_direction_without_two_numbers():
    assert interpret("positief", previous=4.0, lang="en").direction is None
    assert interpret(4.0, reference=POTASSIUM, previous="negatief", lang="en").direction is None
    assert interpret(4.0, reference=POTASSIUM, lang="en").previous_status is None


@pytest.mark.parametrize(
    ("value", "previous", "code", "previous_code", "expected", "absent"),
    [
        (7.0, 7.5, None, None, "Last time it was also high.", "Last time it was normal."),
        (2.0, 3.0, None, None, "Last time it was also low.", "Last time it was normal."),
        (4.0, None, "A", "A", "Last time it was also not normal.", "Last time it was normal."),
        (7.0, 4.0, None, None, "Last time it was normal.", "Last time it was also high."),
        (2.0, 4.0, None, None, "Last time it was normal.", "Last time it was also low."),
        (4.0, 4.0, "A", None, "Last time it was normal.", "Last time it was also not normal."),
    ],
)
def test_what_the_previous_result_was(value, previous, code, previous_code, expected, absent):
    result = interpret(
        value,
        "mmol/L",
        reference=POTASSIUM,
        previous=previous,
        interpretation_code=code,
        previous_interpretation_code=previous_code,
        lang="en",
    )
    assert expected in result.sentences
    assert absent not in result.sentences


def test_no_previous_sentence_when_the_status_changed_otherwise():
    low_then_high = interpret(7.0, "mmol/L", reference=POTASSIUM, previous=2.0, lang="en")
    assert low_then_high.previous_status == "low"
    assert [s for s in low_then_high.sentences if s.startswith("Last time")] == []
    normal_twice = interpret(4.0, "mmol/L", reference=POTASSIUM, previous=4.5, lang="en")
    assert [s for s in normal_twice.sentences if s.startswith("Last time")] == []
    high_then_low = interpret(2.0, "mmol/L", reference=POTASSIUM, previous=7.0, lang="en")
    assert [s for s in high_then_low.sentences if s.startswith("Last time")] == []


def test_read_aloud_says_the_units_in_words_and_the_same_previous_sentences():
    result = interpret(5.1, "mmol/L", reference=POTASSIUM, previous=4.0, lang="nl")
    assert result.spoken == (
        "Uw uitslag is hoger dan normaal.",
        "De normale waarde van het lab is 3,5 - 5 millimol per liter.",
        "Hij is hoger dan de vorige keer.",
        "De vorige keer was hij normaal.",
    )
    assert result.sentences[1] == "De normale waarde van het lab is 3,5 - 5 mmol/l."


def test_the_value_is_shown_the_dutch_way_at_the_ranges_precision():
    result = interpret(4.15678, "mmol/L", reference=POTASSIUM, lang="nl")
    assert (result.value, result.unit) == ("4,2", "mmol/L")
    assert interpret(4.15678, "mmol/L", lang="en").value == "4.16"
    assert interpret(None, lang="nl").value == ""


@pytest.mark.parametrize(
    ("reference", "unit", "lang", "spoken", "shown"),
    [
        (ReferenceRange(3.5, 5.25), "mmol/L", "nl", False, "3,5 - 5,25 mmol/l"),
        (ReferenceRange(3.5, 5.25), "mmol/L", "nl", True, "3,5 - 5,25 millimol per liter"),
        (ReferenceRange(135, 145), "", "nl", False, "135 - 145"),
        (ReferenceRange(None, 5.0), "mmol/L", "en", False, "< 5 mmol/L"),
        (ReferenceRange(60, None), "mL/min", "en", False, "> 60 mL/min"),
        (ReferenceRange(None, None, "negatief"), "mmol/L", "nl", False, "negatief"),
        (ReferenceRange(), "mmol/L", "nl", False, ""),
        (None, "mmol/L", "nl", False, ""),
    ],
)
def test_range_text(reference, unit, lang, spoken, shown):
    assert range_text(reference, unit, lang, spoken=spoken) == shown


def test_the_default_language_is_dutch_and_the_default_level_standard():
    result = interpret(5.1, "mmol/L", reference=POTASSIUM)
    assert result.sentences == ("Uw uitslag is hoger dan normaal.", "De normale waarde van het lab is 3,5 - 5 mmol/l.")
    assert range_text(POTASSIUM, "mmol/L") == "3.5 - 5 mmol/L"


@pytest.mark.parametrize(
    ("reference", "lang", "shown"),
    [
        (ReferenceRange(135.25, 145.75), "nl", "135,25 - 145,75"),  # the lab's own precision, not three digits
        (ReferenceRange(None, 145.75), "en", "< 145.75"),
        (ReferenceRange(135.25, None), "en", "> 135.25"),
        (ReferenceRange(None, 145.75), "nl", "< 145,75"),
        (ReferenceRange(135.25, None), "nl", "> 135,25"),
        (POTASSIUM, "en", "3.5 - 5"),
    ],
)
def test_range_limits_keep_the_labs_precision_in_the_readers_language_without_a_unit(reference, lang, shown):
    assert range_text(reference, lang=lang) == shown


def test_read_aloud_in_english_says_english_unit_words():
    assert range_text(POTASSIUM, "mmol/L", "en", spoken=True) == "3.5 - 5 millimoles per litre"


def test_read_aloud_says_the_same_as_the_screen_in_every_case():
    """The spoken sentences differ from the written ones only in the unit words."""
    cases = [
        interpret("  Verlaagd factor X.  ", lang="en"),
        interpret(4.2, "mmol/L", reference=POTASSIUM, interpretation_code="HH", lang="en"),
        interpret(4.2, "mmol/L", reference=ReferenceRange(5.0, 3.5), lang="en"),
        interpret(4.2, "mmol/L", reference=POTASSIUM, level="detailed", lang="en"),
        interpret(4.2, "mmol/L", reference=POTASSIUM, level="simple", lang="en"),
        interpret(4.2, "mmol/L", lang="en"),
    ]
    for result in cases:
        assert result.spoken == tuple(s.replace("mmol/L", "millimoles per litre") for s in result.sentences)
    assert cases[0].spoken == (
        "The lab wrote: Verlaagd factor X.",
        "The lab did not give a normal value for this result.",
    )


def test_a_text_ending_in_a_capital_x_keeps_it():
    assert interpret("Verlaagd factor X.", lang="en").sentences[0] == "The lab wrote: Verlaagd factor X."


def test_with_a_broken_range_the_detailed_words_never_quote_it_as_the_reference():
    result = interpret(
        4.0, "mmol/L", reference=ReferenceRange(5.0, 3.5), interpretation_code="N", level="detailed", lang="en"
    )
    assert result.sentences[0] == "Your result is normal."


def test_small_values_change_by_their_own_five_percent():
    """Creatinine in mmol/L (0.08): a change from 0.5 to 0.53 is 6% and is a change."""
    assert interpret(0.53, reference=ReferenceRange(0.4, 0.9), previous=0.5, lang="en").direction == "higher"
    assert interpret(0.47, reference=ReferenceRange(0.4, 0.9), previous=0.5, lang="en").direction == "lower"
    assert interpret(0.52, reference=ReferenceRange(0.4, 0.9), previous=0.5, lang="en").direction == "same"
