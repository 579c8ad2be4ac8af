"""The readability gate: is a text plain enough for a reading level, in its own language?

Dutch is scored with Flesch-Douma (206.835 - 0.93 x words/sentence - 77 x syllables/word), English with the
Flesch-Kincaid grade (0.39 x words/sentence + 11.8 x syllables/word - 15.59). Sentences and words are counted
here (textstat drops short sentences and splits on abbreviation dots); textstat only counts syllables, with
pyphen's Dutch dictionary or the CMU dictionary for English. The text is normalised first: markup stripped,
abbreviations written out, list items made into sentences.
"""

from __future__ import annotations

import html
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

import textstat

from pgo.i18n import _
from pgo.levels import ReadingLevel

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Limits:
    """What a level allows: a score bound, an average and a longest sentence (in words)."""

    min_reading_ease: float | None = None  # Dutch Flesch-Douma, higher is easier
    max_grade: float | None = None  # English Flesch-Kincaid grade, lower is easier
    max_average_words: float = 0
    max_sentence_words: int = 0


LIMITS: dict[tuple[str, str], Limits] = {
    ("nl", ReadingLevel.SIMPLE): Limits(min_reading_ease=80, max_average_words=10, max_sentence_words=15),
    ("nl", ReadingLevel.STANDARD): Limits(min_reading_ease=65, max_average_words=15, max_sentence_words=20),
    ("en", ReadingLevel.SIMPLE): Limits(max_grade=6, max_average_words=10, max_sentence_words=15),
    ("en", ReadingLevel.STANDARD): Limits(max_grade=8, max_average_words=15, max_sentence_words=20),
}

ABBREVIATIONS: dict[str, dict[str, str]] = {
    "nl": {
        "o.a.": "onder andere",
        "bijv.": "bijvoorbeeld",
        "bv.": "bijvoorbeeld",
        "b.v.": "bijvoorbeeld",
        "d.w.z.": "dat wil zeggen",
        "m.a.w.": "met andere woorden",
        "z.n.": "zo nodig",
        "zgn.": "zogenaamde",
        "i.p.v.": "in plaats van",
        "t.o.v.": "ten opzichte van",
        "enz.": "enzovoort",
        "ca.": "circa",
        "evt.": "eventueel",
        "dhr.": "meneer",
        "mevr.": "mevrouw",
        "nr.": "nummer",
        "max.": "maximaal",
        "min.": "minimaal",
    },
    "en": {
        "e.g.": "for example",
        "i.e.": "that is",
        "etc.": "and so on",
        "approx.": "about",
        "vs.": "versus",
        "dr.": "doctor",
        "mr.": "mister",
        "mrs.": "missus",
        "no.": "number",
        "min.": "minimum",
        "max.": "maximum",
    },
}

_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"</?(p|li|br|div|h[1-6]|tr|ul|ol|table)\b[^>]*>", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022+]|\d+[.)])\s+", re.MULTILINE)
_MARKDOWN = re.compile(r"[*_`#>]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+")
_WORD = re.compile(r"[^\W_]+(?:[-'\u2019.,][^\W_]+)*")
_textstat_lock = threading.Lock()


@dataclass(frozen=True)
class Readability:
    """A text's scores. `reading_ease` is Flesch-Douma for Dutch, Flesch reading ease for English."""

    lang: str
    sentences: tuple[str, ...]
    words: int
    syllables: int
    reading_ease: float
    grade: float
    average_words: float
    longest_sentence_words: int

    def summary(self) -> str:
        score = f"FK grade {self.grade:.1f}" if self.lang == "en" else f"Flesch-Douma {self.reading_ease:.0f}"
        return (
            f"{score}, {len(self.sentences)} sentences, avg {self.average_words:.1f} words, "
            f"longest {self.longest_sentence_words}"
        )


@dataclass(frozen=True)
class Problem:
    """What makes a text too hard for a level, in words a writer can act on."""

    kind: str  # "score", "average", "sentence"
    message: str
    value: float
    limit: float
    sentence: str | None = None


@dataclass
class _Counts:
    words: list[int] = field(default_factory=list)
    syllables: int = 0


def _expand_abbreviations(text: str, lang: str) -> str:
    # #23 (2026-12-03): score() admits only the LANGUAGES, and each has its list here; no default needed.
    for short, long in ABBREVIATIONS[lang].items():
        pattern = r"(?<![^\W_])" + r"\.\s?".join(re.escape(part) for part in short.rstrip(".").split(".")) + r"\."
        text = re.sub(
            pattern,
            lambda m, long=long: long if m.group(0)[0].islower() else long.capitalize(),
            text,
            flags=re.IGNORECASE,
        )
    return text


def normalise(text: str, lang: str) -> str:
    """Plain prose: markup stripped, abbreviations written out, each line or list item a sentence."""
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    text = _LIST_MARK.sub("", text)
    text = _MARKDOWN.sub("", text)
    text = _expand_abbreviations(text, lang)
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if not re.search(r"[.!?:;][\"'\u201d\u2019)]*$", line):
            line += "."
        lines.append(line)
    return " ".join(lines)


def split_sentences(text: str) -> list[str]:
    """Sentences of normalised text; a colon or semicolon at the end of a line also closes one."""
    text = re.sub(r"[:;](\s|$)", r".\1", text)
    return [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def words(sentence: str) -> list[str]:
    """Words as a reader sees them: numbers like 5,6 and 7.2 and hyphenated words count once."""
    return _WORD.findall(sentence)


@lru_cache(maxsize=50_000)
def _syllables(word: str, lang: str) -> int:
    with _textstat_lock:
        textstat.set_lang(lang)
        count = textstat.syllable_count(word)
    return max(1, int(count))


def score(text: str, lang: str) -> Readability:
    """Scores for a text in `lang` ("nl" or "en")."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    sentences = tuple(split_sentences(normalise(text, lang)))
    counts = _Counts()
    for sentence in sentences:
        found = words(sentence)
        counts.words.append(len(found))
        counts.syllables += sum(_syllables(w.lower(), lang) for w in found if not w[0].isdigit())
        counts.syllables += sum(1 for w in found if w[0].isdigit())
    n_words, n_sentences = sum(counts.words), max(1, len(sentences))
    wps = n_words / n_sentences
    spw = counts.syllables / max(1, n_words)
    ease = 206.835 - 0.93 * wps - 77 * spw if lang == "nl" else 206.835 - 1.015 * wps - 84.6 * spw
    grade = 0.39 * wps + 11.8 * spw - 15.59
    return Readability(
        lang=lang,
        sentences=sentences,
        words=n_words,
        syllables=counts.syllables,
        reading_ease=round(ease, 1),
        grade=round(grade, 1),
        average_words=round(wps, 1),
        longest_sentence_words=max(counts.words, default=0),
    )


def _score_problems(result: Readability, limits: Limits) -> list[Problem]:
    if limits.min_reading_ease is not None and result.reading_ease < limits.min_reading_ease:
        return [
            Problem(
                "score",
                _(
                    "Reading ease %(value)s is below %(limit)s: use shorter words and sentences.",
                    value=f"{result.reading_ease:.1f}",
                    limit=f"{limits.min_reading_ease:.0f}",
                ),
                result.reading_ease,
                limits.min_reading_ease,
            )
        ]
    if limits.max_grade is not None and result.grade > limits.max_grade:
        return [
            Problem(
                "score",
                _(
                    "Grade level %(value)s is above %(limit)s: use shorter words and sentences.",
                    value=f"{result.grade:.1f}",
                    limit=f"{limits.max_grade:.0f}",
                ),
                result.grade,
                limits.max_grade,
            )
        ]
    return []


def check(text: str, lang: str, level: str) -> list[Problem]:
    """What makes `text` too hard for `level`; empty when it passes. The detailed level is never gated."""
    limits = LIMITS.get((lang, level))
    result = score(text, lang)
    if limits is None or not result.sentences:
        return []
    problems = _score_problems(result, limits)
    if result.average_words > limits.max_average_words:
        problems.append(
            Problem(
                "average",
                _(
                    "Sentences have %(value)s words on average; the limit is %(limit)s.",
                    value=f"{result.average_words:.1f}",
                    limit=f"{limits.max_average_words:.0f}",
                ),
                result.average_words,
                limits.max_average_words,
            )
        )
    for sentence in result.sentences:
        count = len(words(sentence))
        if count > limits.max_sentence_words:
            problems.append(
                Problem(
                    "sentence",
                    _(
                        "This sentence has %(value)s words; the limit is %(limit)s: %(sentence)s",
                        value=count,
                        limit=limits.max_sentence_words,
                        sentence=sentence,
                    ),
                    count,
                    limits.max_sentence_words,
                    sentence,
                )
            )
    return problems
