"""#16 (2026-12-03): the card's flag, the words beside it and the explanation come from one decision, and a range
that cannot be right (low above high, other units) is shown but never used to flag."""

from __future__ import annotations

import itertools

import pytest
from records_helpers import add_user
from sqlmodel import select

from pgo.i18n import use_locale
from pgo.records.explanations import explain_records
from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry
from pgo.records.presenters import present

_PEOPLE = itertools.count()


def _result(value, low=None, high=None, code=None, unit="mmol/l", range_unit=None, comparator=None, category=None):
    quantity = {"value": value, "unit": unit}
    if comparator:
        quantity["comparator"] = comparator
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"code": category or "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "2947-0", "display": "Sodium"}]},
        "effectiveDateTime": "2021-06-12",
        "valueQuantity": quantity,
    }
    limits = {}
    if low is not None:
        limits["low"] = {"value": low, "unit": range_unit or unit}
    if high is not None:
        limits["high"] = {"value": high, "unit": range_unit or unit}
    if limits:
        resource["referenceRange"] = [limits]
    if code:
        resource["interpretation"] = [{"coding": [{"code": code}]}]
    return resource


def _card_and_words(session, resource, lang="nl"):
    user_id = add_user(session, email=f"p{next(_PEOPLE)}@example.nl")
    import_resources(session=session, user_id=user_id, resources=[resource], source="lab.json")
    entry = session.exec(select(RecordEntry).where(RecordEntry.user_id == user_id)).one()
    with use_locale(lang):
        item = present(entry, {})
    words = explain_records(session=session, user_id=user_id, entry_ids=[entry.id], levels="simple", lang=lang)
    return entry, item, " ".join(words[entry.id].meaning)


def test_a_reversed_range_never_flags_and_the_card_says_it_looks_wrong(session):
    entry, item, words = _card_and_words(session, _result(36, low=45, high=35))
    assert entry.flag == "" and item.flag == ""
    assert "hoger" not in words and "lager" not in words, words
    assert "ziet er niet goed uit" in words
    assert item.range_note


def test_with_a_reversed_range_the_labs_own_code_is_used_everywhere(session):
    entry, item, words = _card_and_words(session, _result(36, low=45, high=35, code="L"))
    assert entry.flag == item.flag == "low"
    assert "lager dan normaal" in words and "hoger" not in words


def test_a_range_in_other_units_is_not_compared(session):
    entry, item, words = _card_and_words(session, _result(5.0, low=70, high=110, unit="mmol/L", range_unit="mg/dL"))
    assert entry.flag == item.flag == ""
    assert "lager" not in words


def test_the_labs_normal_code_wins_over_the_range_in_flag_and_words(session):
    entry, item, words = _card_and_words(session, _result(150, low=135, high=145, code="N"), lang="en")
    assert entry.flag == item.flag == ""
    assert "higher" not in words.lower() and "normal" in words


def test_a_vital_sign_without_a_range_gets_no_lab_sentence(session):
    _entry, _item, words = _card_and_words(session, _result(180, unit="cm", category="vital-signs"))
    assert "lab" not in words.lower(), words


def test_a_value_below_a_detection_limit_is_not_called_low():
    from pgo.records.ranges import judge  # new in #16

    assert judge(5, low=None, high=10, comparator="<").status == "normal"
    assert judge(5, low=3, high=10, comparator="<").status == "unknown"
    assert judge(2, low=3, high=10, comparator="<").status == "low"


WORDS = {"high": ("higher", "above"), "low": ("lower", "below")}


@pytest.mark.parametrize("lang", ["en"])
def test_flag_and_words_agree_for_every_combination(session, lang):
    """A grid of values, ranges (also reversed and one-sided) and codes: the card's flag and its words agree."""
    limits = [None, 3.5, 5.0, 45.0]
    codes = [None, "H", "HH", "L", "N", "A"]
    for value, low, high, code in itertools.product([2.0, 4.2, 40.0], limits, limits, codes):
        entry, item, words = _card_and_words(session, _result(value, low=low, high=high, code=code), lang=lang)
        text = words.lower()
        opposite = {"high": "low", "low": "high"}.get(item.flag)
        if item.flag in WORDS:
            assert any(w in text for w in WORDS[item.flag]), (value, low, high, code, text)
            assert not any(w in text.split("last time")[0] for w in WORDS[opposite]), (value, low, high, code, text)
        else:
            assert "higher than normal" not in text and "lower than normal" not in text, (value, low, high, code)
        if low is not None and high is not None and low > high and code is None:
            assert item.flag == ""


def test_a_range_in_convertible_units_is_converted_and_used(session):
    entry, item, words = _card_and_words(
        session, _result(0.15, low=60, high=110, unit="mmol/L", range_unit="umol/L"), lang="en"
    )
    assert (entry.ref_low, entry.ref_high) == (0.06, 0.11)
    assert entry.flag == item.flag == "high"
    assert "higher than normal" in words
