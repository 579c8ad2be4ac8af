"""A section's explanation from the catalogue (``bgz-sections.yaml``), and the words read aloud for it."""

from __future__ import annotations

from pgo.literacy.catalogue import Explanation, explain


def section_text(key: str, level: str, lang: str) -> Explanation:
    """The catalogue's text for a section (its ``fallback_for`` key) at ``level`` in ``lang``."""
    return explain((), key, level, lang)


def section_speech(key: str, level: str, lang: str) -> str:
    """What read-aloud says for a section's explanation: what it is, what to ask."""
    text = section_text(key, level, lang)
    return " ".join(part for part in (text.title + ".", text.what, text.ask) if part.strip(". "))
