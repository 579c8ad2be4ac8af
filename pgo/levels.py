"""Reading levels and text sizes, said once (#19, 2026-12-03). No Flask, no package imports.

A person's reading level chooses the wording of every text (the catalogue, the decision aids, the measurement
messages, the readability gate); the text size is a display class. Both are stored as their plain string values
(``user_account.reading_level``, ``user_account.text_size``), so a ``StrEnum`` member and its string are equal.
"""

from __future__ import annotations

from enum import StrEnum


class ReadingLevel(StrEnum):
    SIMPLE = "simple"
    STANDARD = "standard"
    DETAILED = "detailed"


class TextSize(StrEnum):
    NORMAL = "normal"
    LARGE = "large"
    XLARGE = "xlarge"


LEVELS: tuple[ReadingLevel, ...] = tuple(ReadingLevel)  # simple, standard, detailed: the order people see


def known_level(level: str | None) -> ReadingLevel:
    """The level asked for if it is one, otherwise the standard level."""
    return ReadingLevel(level) if level in LEVELS else ReadingLevel.STANDARD
