"""Long words that break at syllables, by language (#16, 2026-12-03). No Flask.

At 320 px with extra-large text, a title such as "Lipoproteïnecholesterol" does not fit on a line. CSS
``hyphens: auto`` needs the browser's own hyphenation dictionary, and Chromium on Linux has none without its
component updater (checked 2026-12-03: Debian's Chromium hyphenates neither nl nor en), so the word was broken
anywhere ("Lipoprotei/n"). ``soft_hyphens`` puts soft hyphens (U+00AD) at the syllable breaks of the language's
hyphenation patterns (pyphen, the LibreOffice/Hunspell dictionaries) into long words: every browser breaks there
with a visible hyphen when it must, and nowhere else; screen readers, copying and find-in-page ignore them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyphen

SOFT_HYPHEN = "\u00ad"
MIN_LENGTH = 11  # shorter words fit a 320 px line at extra-large text
_DICTIONARIES = {"nl": "nl_NL", "en": "en_GB"}
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LENGTH},}}")


# Compound parts that the patterns break wrongly ("li-pop-ro-te-ï-ne", "...ï-necho-les..."): their syllables as
# Dutch and English dictionaries (Van Dale, Merriam-Webster) give them. A word that holds one is broken around it.
EXCEPTIONS = {
    "lipoproteïne": "li-po-pro-te-ï-ne",
    "lipoproteine": "li-po-pro-te-i-ne",
    "lipoprotein": "li-po-pro-tein",
    "cholesterol": "cho-les-te-rol",
}


@cache
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=_DICTIONARIES.get(lang, "nl_NL"), left=3, right=3)


@lru_cache(maxsize=4096)  # a records page repeats the same titles
def soft_hyphens(text: str, lang: str) -> str:
    """``text`` with soft hyphens at the syllable breaks of its long words in ``lang`` (nl or en)."""
    if not text or SOFT_HYPHEN in text:
        return text or ""
    return _WORD.sub(lambda match: _word(match.group(0), lang), text)


def _word(word: str, lang: str) -> str:
    lowered = word.lower()
    for part, syllables in EXCEPTIONS.items():
        if (at := lowered.find(part)) >= 0:
            end = at + len(part)
            middle, offset = [], at
            for syllable in syllables.split("-"):
                middle.append(word[offset : offset + len(syllable)])
                offset += len(syllable)
            pieces = [_plain(word[:at], lang), SOFT_HYPHEN.join(middle), _word(word[end:], lang)]
            return SOFT_HYPHEN.join(piece for piece in pieces if piece)
    return _plain(word, lang)


def _plain(word: str, lang: str) -> str:
    return _dictionary(lang).inserted(word, hyphen=SOFT_HYPHEN) if len(word) >= 4 else word
