"""Every text of every aid reads at its level, in Dutch and in English, by the shared gate (pgo.literacy)."""

from __future__ import annotations

import pytest

from pgo.decisions.aid import available_aids, iter_texts
from pgo.decisions.steps import common_texts
from pgo.literacy.readability import check, score, split_sentences, words

AIDS = available_aids()
# The Flesch formulas say nothing sensible about a label of a few words ("Knieprothese"): such texts keep the
# sentence limits here and are scored as part of the whole aid (see test_the_whole_aid_reads_at_its_level).
FORMULA_MIN_WORDS = 8


def problems(text: str, lang: str, level: str, *, formula: bool | None = None) -> list[str]:
    """What the shared gate finds too hard; the score itself only for texts long enough to have one."""
    if formula is None:
        formula = sum(len(words(s)) for s in split_sentences(text)) >= FORMULA_MIN_WORDS
    return [p.message for p in check(text, lang, level) if formula or p.kind != "score"]


def shared_texts():
    for group, items in common_texts().items():
        for item in items:
            text = item.text
            for lang in ("nl", "en"):
                yield f"{group}.{item.key}", lang, "standard", text.get(lang)
                if text.simple_nl or text.simple_en:
                    yield f"{group}.{item.key}", lang, "simple", text.get(lang, "simple")


# The '3 goede vragen' are fixed wording used across Dutch care ("Wat zijn de voordelen en nadelen van die
# mogelijkheden?" scores Flesch-Douma 53 because of "mogelijkheden"): they keep the sentence limits only.
FIXED_WORDING = {("good_questions.pros-cons", "nl"), ("good_questions.options", "nl")}


def test_scorer_tells_easy_from_hard_text():
    easy = "De kat zit op de mat. Hij is blij."
    hard = (
        "Gonartrose is een degeneratieve aandoening van het kniegewricht waarbij progressieve kraakbeendegeneratie "
        "optreedt, resulterend in functionele beperkingen en persisterende pijnklachten bij belasting."
    )
    assert problems(easy, "nl", "simple") == []
    assert problems(hard, "nl", "standard") != []
    assert score(hard, "nl").reading_ease < 30
    assert problems(
        "Osteoarthritis is a degenerative musculoskeletal condition with considerable morbidity.", "en", "standard"
    )


@pytest.mark.parametrize("aid", AIDS, ids=lambda a: a.id)
def test_every_text_of_the_aid_reads_at_its_level(aid):
    too_hard = [
        f"{where} [{lang}, {level}]: {', '.join(found)}: {text!r}"
        for where, lang, level, text in iter_texts(aid)
        if (found := problems(text, lang, level))
    ]
    assert too_hard == []


@pytest.mark.parametrize("level", ["standard", "simple"])
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("aid", AIDS, ids=lambda a: a.id)
def test_the_whole_aid_reads_at_its_level(aid, lang, level):
    # Short labels are too short for a Flesch score on their own; here they count as part of the whole text.
    sentences = [
        t if t.rstrip()[-1:] in ".?!" else f"{t}." for _, la, lv, t in iter_texts(aid) if la == lang and lv == level
    ]
    assert problems(" ".join(sentences), lang, level, formula=True) == []


def test_shared_texts_read_at_their_level():
    too_hard = [
        f"{where} [{lang}, {level}]: {found}"
        for where, lang, level, text in shared_texts()
        if (found := problems(text, lang, level, formula=None if (where, lang) not in FIXED_WORDING else False))
    ]
    assert too_hard == []


@pytest.mark.parametrize("aid", AIDS, ids=lambda a: a.id)
def test_key_texts_have_a_simple_version(aid):
    key_texts = [o.summary for o in aid.options]
    key_texts += [answer for row in aid.grid for answer in row.answers.values()]
    key_texts += [c.text for c in aid.considerations]
    assert all(t.simple_nl and t.simple_en for t in key_texts)
    assert all(item.text.simple_nl and item.text.simple_en for item in common_texts()["sure"])
