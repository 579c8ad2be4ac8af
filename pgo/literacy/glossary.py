"""The glossary of medical terms and the marking of jargon in imported text and display names.

`mark_jargon` splits a text into plain segments and glossary terms (whole words, case-insensitive, longest
match first), so a template can render each term as a <details>/<summary> disclosure that works without
JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yaml"
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Term:
    id: str
    names: dict[str, tuple[str, ...]]  # lang -> the words that mean this term
    explanations: dict[str, dict[str, str]]  # lang -> level -> plain explanation

    def explain(self, lang: str, level: str) -> str:
        texts = self.explanations.get(lang, {})
        return texts.get(level) or texts.get("standard", "")


@dataclass(frozen=True)
class Segment:
    """A piece of text; `term` is set when the piece is a glossary term."""

    text: str
    term: Term | None = None

    def explanation(self, lang: str, level: str) -> str:
        return self.term.explain(lang, level) if self.term else ""


@cache
def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []  # noqa: S506  (a safe loader)
    return tuple(
        Term(
            id=item["id"],
            names={lang: tuple(item[lang]["terms"]) for lang in ("nl", "en")},
            explanations={lang: dict(item[lang]["levels"]) for lang in ("nl", "en")},
        )
        for item in raw
    )


@cache
def _matcher(lang: str, path: Path = GLOSSARY_FILE) -> tuple[re.Pattern[str], dict[str, Term]]:
    by_name = {name.casefold(): term for term in load_glossary(path) for name in term.names.get(lang, ())}
    alternatives = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE), by_name


def preload() -> None:
    """Read the glossary and compile its patterns now (at app start) rather than in a person's first request."""
    for lang in ("nl", "en"):
        _matcher(lang)


def mark_jargon(text: str, lang: str) -> list[Segment]:
    """The text as plain segments and glossary terms, in order; joined they give the text back."""
    pattern, by_name = _matcher(lang if lang in ("nl", "en") else "nl")
    segments: list[Segment] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(match.group(0), by_name[match.group(0).casefold()]))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
