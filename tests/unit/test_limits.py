"""Every limit tested at the limit, one step below and one step above (#23, 2026-12-03).

The expected answers are written out by hand from the sources the modules name (NHG, NHS, the readability
limits of CONTENT.md, the throttle's policy), not taken from the modules' own tables: a limit moved by one, or a
``>=`` turned into ``>``, fails here.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from pgo.accounts.throttle import record_sign_in_attempt, throttle_check
from pgo.levels import ReadingLevel
from pgo.literacy import readability
from pgo.measurements.models import Severity
from pgo.measurements.thresholds import assess
from pgo.measurements.types import get_type
from pgo.measurements.validation import validate_entry

OK, INFO, CONTACT, CALL, EMERGENCY = (
    Severity.OK,
    Severity.INFO,
    Severity.CONTACT_PRACTICE,
    Severity.CALL_TODAY,
    Severity.EMERGENCY,
)

# (type, the other values of the reading, field, [(value, severity) below, at and above the limit])
BP = {"systolic": 120, "diastolic": 70}
GENERAL_LIMITS = [
    # NHG CVRM 2019: 180 systolic or 110 diastolic is severely raised (call today); 135/85 or more is high
    ("blood_pressure", BP, "systolic", [(179, INFO), (180, CALL), (181, CALL)]),
    ("blood_pressure", BP, "systolic", [(134, OK), (135, INFO), (136, INFO)]),
    ("blood_pressure", BP, "diastolic", [(109, INFO), (110, CALL), (111, CALL)]),
    ("blood_pressure", BP, "diastolic", [(84, OK), (85, INFO), (86, INFO)]),
    # under 90 systolic is low
    ("blood_pressure", {"systolic": 120, "diastolic": 60}, "systolic", [(89, INFO), (90, OK), (91, OK)]),
    # heart rate at rest: 40 to 119 at home; 120 or more, or under 40, contact the practice
    ("heart_rate", {}, "value", [(119, OK), (120, CONTACT), (121, CONTACT)]),
    ("heart_rate", {}, "value", [(39, CONTACT), (40, OK), (41, OK)]),
    ("blood_pressure", BP, "heart_rate", [(119, OK), (120, CONTACT), (121, CONTACT)]),
    ("blood_pressure", BP, "heart_rate", [(39, CONTACT), (40, OK), (41, OK)]),
    # NHG Koorts: fever from 38.0; 40.0 or more, or under 35.0, the same day
    ("body_temperature", {}, "value", [(37.9, OK), (38.0, INFO), (38.1, INFO)]),
    ("body_temperature", {}, "value", [(39.9, INFO), (40.0, CALL), (40.1, CALL)]),
    ("body_temperature", {}, "value", [(34.9, CALL), (35.0, OK), (35.1, OK)]),
    # NHG Diabetes type 2: under 4.0 a hypo; 15 or more high; 20 or more very high
    ("blood_glucose", {}, "value", [(3.9, CONTACT), (4.0, OK), (4.1, OK)]),
    ("blood_glucose", {}, "value", [(14.9, OK), (15.0, CONTACT), (15.1, CONTACT)]),
    ("blood_glucose", {}, "value", [(19.9, CONTACT), (20.0, CALL), (20.1, CALL)]),
    # NHS pulse oximetry: 93-94 % advice, 92 % or lower urgent help; 95 % and up fine
    ("oxygen_saturation", {}, "value", [(92, EMERGENCY), (93, CONTACT), (94, CONTACT)]),
    ("oxygen_saturation", {}, "value", [(94, CONTACT), (95, OK), (96, OK)]),
    # pain 8 or more out of 10
    ("pain_score", {}, "value", [(7, OK), (8, CONTACT), (9, CONTACT)]),
]


@pytest.mark.parametrize(
    ("type_key", "others", "field", "value", "expected"),
    [
        pytest.param(t, others, f, value, severity, id=f"{t}.{f}={value}")
        for t, others, f, cases in GENERAL_LIMITS
        for value, severity in cases
    ],
)
def test_general_thresholds_at_below_and_above_the_limit(type_key, others, field, value, expected):
    severity, flag = assess({**others, field: value}, None, type_key)
    assert severity == expected
    # the team sees readings from "contact the practice" up; a general "info" reading is too common to flag
    assert flag is (expected in (CONTACT, CALL, EMERGENCY))


# Plausible ranges of the entry form (types.py): inside is accepted, one step outside is an error; the usual
# range only warns.
PLAUSIBLE = [
    ("blood_pressure", {"diastolic": "40"}, "systolic", 50, 300),
    ("blood_pressure", {"systolic": "250"}, "diastolic", 20, 200),
]
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("type_key", "others", "field", "low", "high"), PLAUSIBLE)
def test_plausible_ranges_of_an_entry_at_their_ends(type_key, others, field, low, high):
    def errors(value):
        form = {**others, field: str(value)}
        return validate_entry(get_type(type_key), form, None, NOW, now=NOW).errors

    # the other field stays valid at both ends of this field's range, except where systolic <= diastolic
    assert field not in errors(low) or "systolic" in errors(low)
    assert field in errors(low - 1)
    assert field not in errors(high)
    assert field in errors(high + 1)


def test_a_measurement_time_may_run_five_minutes_ahead_and_no_more():
    weight = get_type("body_weight")
    assert (
        "measured_at" not in validate_entry(weight, {"value": "70"}, None, NOW + timedelta(minutes=5), now=NOW).errors
    )
    late = NOW + timedelta(minutes=5, seconds=1)
    assert "measured_at" in validate_entry(weight, {"value": "70"}, None, late, now=NOW).errors


def test_a_note_of_2000_characters_is_kept_and_2001_refused():
    note = get_type("body_weight")
    for length, refused in ((1999, False), (2000, False), (2001, True)):
        out = validate_entry(note, {"value": "70", "note": "a" * length}, None, NOW, now=NOW)
        assert ("note" in out.errors) is refused, length


# --- the readability gate (CONTENT.md: standard Dutch at most 20 words a sentence, simple at most 15) ---


def _sentence(n: int) -> str:
    return " ".join(["kat"] * (n - 1) + ["mat."])


@pytest.mark.parametrize(("level", "limit"), [(ReadingLevel.STANDARD, 20), (ReadingLevel.SIMPLE, 15)])
def test_sentence_length_gate_at_the_limit(level, limit):
    def long_sentences(n: int) -> list:
        return [p for p in readability.check(_sentence(n), "nl", level) if p.kind == "sentence"]

    assert long_sentences(limit - 1) == []
    assert long_sentences(limit) == []
    assert [p.value for p in long_sentences(limit + 1)] == [limit + 1]


@pytest.mark.parametrize(
    ("lang", "level", "field", "easier", "passing", "failing"),
    [
        ("nl", ReadingLevel.STANDARD, "reading_ease", 65.1, 65.0, 64.9),
        ("nl", ReadingLevel.SIMPLE, "reading_ease", 80.1, 80.0, 79.9),
        ("en", ReadingLevel.STANDARD, "grade", 7.9, 8.0, 8.1),
        ("en", ReadingLevel.SIMPLE, "grade", 5.9, 6.0, 6.1),
    ],
)
def test_score_gate_at_the_limit(lang, level, field, easier, passing, failing):
    limits = readability.LIMITS[(lang, level)]
    base = readability.score("De kat zit op de mat. Het is warm.", "nl")
    at = dataclasses.replace(base, **{field: passing})
    over = dataclasses.replace(base, **{field: failing})
    assert readability._score_problems(dataclasses.replace(base, **{field: easier}), limits) == []
    assert readability._score_problems(at, limits) == []
    assert [p.kind for p in readability._score_problems(over, limits)] == ["score"]


@pytest.mark.parametrize(("level", "limit"), [(ReadingLevel.STANDARD, 15), (ReadingLevel.SIMPLE, 10)])
def test_average_sentence_length_gate_at_the_limit(level, limit):
    def averages(*lengths: int) -> list:
        text = " ".join(_sentence(n).capitalize() for n in lengths)
        return [p.value for p in readability.check(text, "nl", level) if p.kind == "average"]

    assert averages(limit - 1, limit) == []  # half a word below
    assert averages(limit, limit) == []
    assert averages(limit - 1, limit + 1) == []  # the same average
    assert averages(limit, limit + 1) == [limit + 0.5]


# --- sign-in throttle: five failures per account, twenty per address, in fifteen minutes ---

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _failures(session, n, *, email=None, address="192.0.2.1"):
    for i in range(n):
        record_sign_in_attempt(
            session=session,
            email=email or "anna@example.nl",
            address=address,
            succeeded=False,
            now=T0 + timedelta(seconds=i),
        )


def test_account_throttle_allows_four_failures_and_stops_at_five(session):
    _failures(session, 4)
    assert throttle_check(
        session=session, email="anna@example.nl", address="192.0.2.9", now=T0 + timedelta(seconds=10)
    ).allowed
    _failures(session, 1)
    decision = throttle_check(
        session=session, email="anna@example.nl", address="192.0.2.9", now=T0 + timedelta(seconds=10)
    )
    assert (decision.allowed, decision.reason) == (False, "account")


def test_address_throttle_allows_nineteen_failures_and_stops_at_twenty(session):
    for i in range(19):
        _failures(session, 1, email=f"p{i}@example.nl")
    later = T0 + timedelta(seconds=30)
    assert throttle_check(session=session, email="new@example.nl", address="192.0.2.1", now=later).allowed
    _failures(session, 1, email="p19@example.nl")
    decision = throttle_check(session=session, email="new@example.nl", address="192.0.2.1", now=later)
    assert (decision.allowed, decision.reason) == (False, "address")


def test_a_failure_counts_for_exactly_fifteen_minutes(session):
    _failures(session, 5)  # at T0 .. T0+4 s: the oldest leaves the window at T0+15 min
    window_end = T0 + timedelta(minutes=15)
    just_before = throttle_check(
        session=session, email="anna@example.nl", address="192.0.2.9", now=window_end - timedelta(microseconds=1)
    )
    assert (just_before.allowed, just_before.retry_after) == (False, 1)
    assert throttle_check(session=session, email="anna@example.nl", address="192.0.2.9", now=window_end).allowed
    assert throttle_check(
        session=session, email="anna@example.nl", address="192.0.2.9", now=window_end + timedelta(seconds=1)
    ).allowed


# Personal limits replace the general ones: "above" is at or above the limit, "below" is under it (thresholds.py);
# crossing any personal limit is for the team, whatever its severity.
PERSONAL = [
    ("blood_pressure", "systolic", "above", 150, {"diastolic": 70}, [(149, False), (150, True), (151, True)]),
    ("blood_glucose", "value", "below", 4.5, {}, [(4.4, True), (4.5, False), (4.6, False)]),
]


@pytest.mark.parametrize(("type_key", "field", "direction", "limit", "others", "cases"), PERSONAL)
def test_personal_limits_at_below_and_above_the_limit(type_key, field, direction, limit, others, cases):
    from pgo.measurements.models import ThresholdRule

    rule = ThresholdRule(
        user_id=1,
        type=type_key,
        field_name=field,
        direction=direction,
        limit_value=limit,
        severity=Severity.CONTACT_PRACTICE,
    )
    for value, crossed in cases:
        expected = (CONTACT, True) if crossed else (OK, False)
        assert assess({**others, field: value}, [rule], type_key) == expected, value
    # a reading without the rule's field crosses nothing
    assert assess(dict(others), [rule], type_key) == (OK, False)


def _scored_text(n_words: int, n_syllables: int, n_sentences: int, short: str, long: str) -> str:
    """`n_sentences` sentences of `n_words` words in all: one-syllable `short`, and `n_syllables - n_words` times
    the two-syllable `long`, so that the words and syllables per sentence (and so the score) are known by hand."""
    pool = [long] * (n_syllables - n_words) + [short] * (2 * n_words - n_syllables)
    sizes = [n_words // n_sentences + (i < n_words % n_sentences) for i in range(n_sentences)]
    sentences, start = [], 0
    for size in sizes:
        sentences.append(" ".join(pool[start : start + size]).capitalize() + ".")
        start += size
    return " ".join(sentences)


# The score gate through real texts (#23, 2026-12-03): Flesch-Douma 206.835 - 0.93 x words/sentence - 77 x
# syllables/word, English grade 0.39 x words/sentence + 11.8 x syllables/word - 15.59, each rounded to one decimal;
# (words, syllables, sentences) worked out by hand, e.g. 20 words, 32 syllables, 1 sentence:
# 206.835 - 0.93 x 20 - 77 x 1.6 = 65.035 -> 65.0. "kat"/"cat" has one syllable, "water" two.
SCORED = [
    ("nl", ReadingLevel.STANDARD, 65, (34, 58, 3), 64.9, True),  # 206.835 - 10.540 - 131.353 = 64.94
    ("nl", ReadingLevel.STANDARD, 65, (20, 32, 1), 65.0, False),
    ("nl", ReadingLevel.STANDARD, 65, (21, 36, 2), 65.1, False),  # 206.835 - 9.765 - 132.0 = 65.07
    ("nl", ReadingLevel.SIMPLE, 80, (28, 43, 3), 79.9, True),  # 206.835 - 8.680 - 118.25 = 79.905
    ("nl", ReadingLevel.SIMPLE, 80, (15, 22, 1), 80.0, False),  # 206.835 - 13.95 - 112.933 = 79.952
    ("nl", ReadingLevel.SIMPLE, 80, (34, 49, 2), 80.1, False),  # 206.835 - 15.81 - 110.971 = 80.054
    ("en", ReadingLevel.SIMPLE, 6, (11, 16, 1), 5.9, False),  # 4.29 + 17.164 - 15.59 = 5.864
    ("en", ReadingLevel.SIMPLE, 6, (10, 15, 1), 6.0, False),  # 3.9 + 17.7 - 15.59 = 6.01
    ("en", ReadingLevel.SIMPLE, 6, (16, 21, 1), 6.1, True),  # 6.24 + 15.4875 - 15.59 = 6.1375
    ("en", ReadingLevel.STANDARD, 8, (17, 29, 2), 7.9, False),  # 3.315 + 20.129 - 15.59 = 7.854
    ("en", ReadingLevel.STANDARD, 8, (11, 18, 1), 8.0, False),  # 4.29 + 19.309 - 15.59 = 8.009
    ("en", ReadingLevel.STANDARD, 8, (20, 27, 1), 8.1, True),  # 7.8 + 15.93 - 15.59 = 8.14
]


@pytest.mark.parametrize(
    ("lang", "level", "limit", "shape", "expected", "refused"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{case[4]}") for case in SCORED],
)
def test_score_gate_of_real_texts_at_below_and_above_the_limit(lang, level, limit, shape, expected, refused):
    text = _scored_text(*shape, short={"nl": "kat", "en": "cat"}[lang], long="water")
    result = readability.score(text, lang)
    assert (result.words, result.syllables, len(result.sentences)) == shape
    assert (result.reading_ease if lang == "nl" else result.grade) == expected
    score_problems = [p for p in readability.check(text, lang, level) if p.kind == "score"]
    assert [(p.value, p.limit) for p in score_problems] == ([(expected, limit)] if refused else [])


def test_usual_range_of_an_entry_warns_only_outside_its_ends():
    """Heart rate at rest: 35 to 180 a minute is usual at home (types.py); outside it the person confirms (#23)."""
    heart_rate = get_type("heart_rate")

    def warned(value: int) -> bool:
        out = validate_entry(heart_rate, {"value": str(value)}, None, NOW, now=NOW)
        assert out.ok, value
        return "value" in out.warnings

    assert [warned(v) for v in (34, 35, 36)] == [True, False, False]
    assert [warned(v) for v in (179, 180, 181)] == [False, False, True]
