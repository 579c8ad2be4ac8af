"""The questionnaires pgo ships (#20): readable in both versions' models, nl and en alike, pgo's own wording
passes the readability gate."""

from __future__ import annotations

import pytest

from pgo.literacy.readability import check
from pgo.questionnaires.shipped import SHIPPED, shipped_questionnaire, shipped_resource

# Texts that are pgo's own wording (the PHQ-9's questions are the instrument's and are not changed).
OWN_PHQ = ("phq9-9-help",)


@pytest.mark.parametrize("key", SHIPPED)
def test_dutch_and_english_have_the_same_structure(key):
    nl, en = shipped_questionnaire(key, "nl"), shipped_questionnaire(key, "en")
    assert [(i.link_id, i.type, i.required, len(i.options)) for i in nl.walk()] == [
        (i.link_id, i.type, i.required, len(i.options)) for i in en.walk()
    ]
    assert all(item.supported for item in nl.walk())
    for a, b in zip(nl.walk(), en.walk(), strict=True):
        assert [o.answer.get("valueCoding", {}).get("code") for o in a.options] == [
            o.answer.get("valueCoding", {}).get("code") for o in b.options
        ]


def own_texts(key: str, lang: str) -> list[str]:
    model = shipped_questionnaire(key, lang)
    resource = shipped_resource(key, lang)
    if key == "phq-9":
        return [model.item(link_id).text for link_id in OWN_PHQ] + [resource["description"]]
    texts = [resource["title"], resource["description"]]
    for item in model.walk():
        texts += [item.text, *(o.label for o in item.options)]
    return [t for t in texts if t]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("key", SHIPPED)
def test_own_wording_passes_the_readability_gate(key, lang):
    text = " ".join(t if t.rstrip().endswith((".", "?", "!")) else t + "." for t in own_texts(key, lang))
    assert check(text, lang, "standard") == []


def test_phq9_keeps_the_loinc_codes_and_the_help_after_question_9():
    resource = shipped_resource("phq-9", "nl")
    assert resource["code"][0]["code"] == "44249-1"
    model = shipped_questionnaire("phq-9", "nl")
    help_text = model.item("phq9-9-help")
    assert help_text.conditions[0].question == "phq9-9" and "113" in help_text.text
