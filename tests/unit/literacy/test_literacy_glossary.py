from hypothesis import given
from hypothesis import strategies as st

from pgo.literacy.glossary import load_glossary, mark_jargon
from pgo.literacy.readability import check


def test_terms_are_whole_words_case_insensitive_longest_first():
    segments = mark_jargon("Hypertensie, LDL-cholesterol en de bovendrukmeter.", "nl")
    terms = [(s.text, s.term.id) for s in segments if s.term]
    assert terms == [("Hypertensie", "hypertension"), ("LDL-cholesterol", "ldl")]
    assert "".join(s.text for s in segments) == "Hypertensie, LDL-cholesterol en de bovendrukmeter."


def test_english_terms_and_explanations_per_level():
    [term] = [s for s in mark_jargon("Your eGFR is 80.", "en") if s.term]
    assert term.explanation("en", "simple") != term.explanation("en", "detailed")


def test_plain_glossary_texts_pass_the_gate():
    failures = [
        (term.id, lang, level)
        for term in load_glossary()
        for lang in ("nl", "en")
        for level in ("simple", "standard")
        if check(term.explain(lang, level), lang, level)
    ]
    assert failures == []


@given(st.text(max_size=200))
def test_marking_never_loses_text(text):
    assert "".join(s.text for s in mark_jargon(text, "nl")) == text
