"""The summary's own sentences read at the patient's level, in Dutch and English, by the shared gate (#21)."""

from __future__ import annotations

import pytest

from pgo.literacy.readability import check
from pgo.summary.health import own_sentences


@pytest.mark.parametrize("level", ["simple", "standard"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_sentence_keeps_the_sentence_limits(lang, level):
    too_long = [f"{text!r}: {[p.message for p in found]}" for text in own_sentences(lang, level)
                if (found := [p for p in check(text, lang, level) if p.kind != "score"])]  # fmt: skip
    assert too_long == []


@pytest.mark.parametrize("level", ["simple", "standard"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_all_sentences_together_read_at_the_level(lang, level):
    # one sentence is too short for a Flesch score of its own: the formula judges them together
    assert [p.message for p in check(" ".join(own_sentences(lang, level)), lang, level)] == []


def test_the_gate_would_catch_a_hard_sentence():
    hard = "Deze patiëntsamenvatting bevat de geactualiseerde medicatieoverzichten en laboratoriumbepalingen."
    assert check(" ".join([*own_sentences("nl", "simple"), hard]), "nl", "simple") != []
