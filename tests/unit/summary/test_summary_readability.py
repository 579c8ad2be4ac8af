"""The summary's own sentences read at the patient's level, in Dutch and English, by the shared gate (#21)."""

from __future__ import annotations

import pytest

from pgo.i18n import _, use_locale
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


# The sentences of the summary, share and shared-link pages themselves (msgids; the catalogues give nl and en).
PAGE_SENTENCES = [
    "Take this page to a doctor or a hospital. It also helps abroad. Print it, or show it on your phone.",
    "Your notes are on the summary. Only you can change them.",
    "For example: what worries you, or what you want to ask. Keep it short.",
    "Your note is saved. It is on your summary.",
    (
        "A link shows a copy of your summary as it is now. Anyone with the link can open it. It works until the "
        "date you choose. You can stop a link at any time."
    ),
    "Copy or print the link now. pgo cannot show it again.",
    "The other person must also type your code. Tell the code yourself.",
    "Only you see this. For example: Dr. Smit, or the hospital in Spain.",
    "4 to 20 letters or numbers. Tell the code yourself, not with the link.",
    "The link is stopped. Nobody can open it any more.",
    "This summary is protected with a code. The person who shared it can tell you the code.",
    "This code is not right. Check it and try again.",
    "Too many tries with this link. Wait a quarter of an hour and try again.",
    "This link has ended.",
    "This link was stopped by the person who made it.",
    "This link is not right, or it does not exist.",
    "Ask the person who shared it for a new link.",
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pages_own_sentences_read_at_the_simple_level(lang):
    with use_locale(lang):
        texts = [_(text) for text in PAGE_SENTENCES]
    assert [t for t in texts if [p for p in check(t, lang, "simple") if p.kind != "score"]] == []
    assert [p.message for p in check(" ".join(texts), lang, "simple")] == []
