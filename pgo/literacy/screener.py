"""The Single Item Literacy Screener (Morris et al. 2006): one question that suggests a reading level.

A score above 2 (sometimes, often, always needing help) suggests the simple level. It only suggests: the person
chooses their level themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgo.i18n import _
from pgo.levels import ReadingLevel


@dataclass(frozen=True)
class Answer:
    score: int
    label: str


def question() -> str:
    return _(
        "How often do you need someone to help you when you read instructions, leaflets or other written "
        "material from your doctor or pharmacy?"
    )


def answers() -> list[Answer]:
    """The five answers, scored 1 (never) to 5 (always)."""
    return [
        Answer(1, _("Never")),
        Answer(2, _("Rarely")),
        Answer(3, _("Sometimes")),
        Answer(4, _("Often")),
        Answer(5, _("Always")),
    ]


def suggest_level(answer: int) -> ReadingLevel:
    """A suggestion only: simple above 2, otherwise the default standard level."""
    if answer not in range(1, 6):
        raise ValueError("the answer is scored 1 to 5")
    return ReadingLevel.SIMPLE if answer > 2 else ReadingLevel.STANDARD
