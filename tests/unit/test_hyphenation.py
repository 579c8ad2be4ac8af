"""#16 (2026-12-03): long words in titles get soft hyphens at their syllables, by language."""

from __future__ import annotations

import pytest

from pgo.hyphenation import SOFT_HYPHEN, soft_hyphens
from pgo.records.titles import title_language


def shown(text: str, lang: str) -> str:
    return soft_hyphens(text, lang).replace(SOFT_HYPHEN, "-")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Lipoproteïnecholesterol", "nl", "Li-po-pro-te-ï-ne-cho-les-te-rol"),
        ("Low Density Lipoprotein Cholesterol", "en", "Low Density Li-po-pro-tein Cho-les-te-rol"),
        ("Erytrocytensedimentatiesnelheid", "nl", "Ery-tro-cy-ten-se-di-men-ta-tie-snel-heid"),
        ("Gezondheidsoverzicht", "nl", "Gezond-heids-over-zicht"),
        ("HDL-cholesterol", "nl", "HDL-cho-les-te-rol"),
        ("Natrium in bloed", "nl", "Natrium in bloed"),  # short words stay whole
    ],
)
def test_long_words_break_at_syllables(text, lang, expected):
    assert shown(text, lang) == expected


def test_the_text_itself_is_unchanged_and_hyphenating_twice_changes_nothing():
    text = "Lichaamstemperatuurmeting en hartfrequentie"
    once = soft_hyphens(text, "nl")
    assert once.replace(SOFT_HYPHEN, "") == text
    assert soft_hyphens(once, "nl") == once
    assert soft_hyphens("", "nl") == ""


@pytest.mark.parametrize(
    ("title", "page", "lang"),
    [
        ("Low Density Lipoprotein Cholesterol", "nl", "en"),
        ("Tobacco smoking status", "nl", "en"),
        ("Lichaamslengte", "en", "nl"),
        ("Erytrocytensedimentatiesnelheid", "en", "nl"),
        ("Natrium", "nl", "nl"),  # no marks: the page's language
        ("Natrium", "en", "en"),
    ],
)
def test_the_language_a_title_is_in(title, page, lang):
    assert title_language(title, "", "result", page) == lang


def test_a_catalogue_title_and_a_medicine_name_are_in_the_pages_language():
    assert title_language("Sodium [Moles/volume] in Serum or Plasma", "http://loinc.org|2951-2", "result", "nl") == "nl"
    assert title_language("Paracetamol tablet 500 mg", "", "medication", "en") == "en"
