"""One internal model for a FHIR Questionnaire of either version (#20, 2026-12-03).

``reading.read_questionnaire`` builds it from STU3 or R4 JSON; pages, validation, enableWhen and the
QuestionnaireResponse all work on this model, never on the raw resource.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Item types a patient can answer in pgo, and the FHIR answer element each one produces.
ANSWER_ELEMENT = {
    "boolean": "valueBoolean",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "string": "valueString",
    "text": "valueString",
}
CHOICE_TYPES = ("choice", "open-choice")
ANSWERABLE = (*ANSWER_ELEMENT, *CHOICE_TYPES)
STRUCTURE = ("group", "display")

# An answer as stored and as sent: one FHIR answer element, e.g. {"valueCoding": {"system": ..., "code": ...}}.
Answer = dict[str, Any]
Answers = dict[str, list[Answer]]  # linkId -> its answers


@dataclass(frozen=True)
class Option:
    """One answer to choose from: its FHIR answer element and the words shown."""

    answer: Answer
    label: str

    def matches(self, other: Answer) -> bool:
        return same_answer(self.answer, other)


@dataclass(frozen=True)
class Condition:
    """One enableWhen: ``operator`` is R4's (exists, =, !=, >, <, >=, <=); STU3's hasAnswer becomes 'exists'."""

    question: str
    operator: str
    answer: Answer | None = None  # for 'exists': {"valueBoolean": True/False}


@dataclass(frozen=True)
class Item:
    link_id: str
    type: str
    text: str
    field: str  # a safe HTML name/id, unique in the questionnaire
    prefix: str = ""
    required: bool = False
    repeats: bool = False
    read_only: bool = False
    max_length: int | None = None
    options: tuple[Option, ...] = ()
    conditions: tuple[Condition, ...] = ()
    enable_behavior: str = "any"
    items: tuple[Item, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type in ANSWERABLE and not self.read_only

    @property
    def supported(self) -> bool:
        """False for item types pgo cannot show (attachment, reference, quantity, url, time...) and for a choice
        whose answers pgo cannot find (a value set outside the Questionnaire)."""
        if self.type == "choice" and not self.options:
            return False
        return self.type in ANSWERABLE or self.type in STRUCTURE

    @property
    def element(self) -> str | None:
        return ANSWER_ELEMENT.get(self.type)


@dataclass(frozen=True)
class Questionnaire:
    fhir_version: str  # "STU3" or "R4"
    title: str
    items: tuple[Item, ...]
    id: str | None = None
    url: str | None = None
    version: str | None = None
    language: str | None = None
    description: str = ""
    by_link_id: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def item(self, link_id: str) -> Item:
        return self.by_link_id[link_id]

    def walk(self) -> list[Item]:
        """Every item, depth first, in the questionnaire's order."""
        found: list[Item] = []

        def visit(items: tuple[Item, ...]) -> None:
            for item in items:
                found.append(item)
                visit(item.items)

        visit(self.items)
        return found

    def parent_of(self, link_id: str) -> Item | None:
        for item in self.walk():
            if any(child.link_id == link_id for child in item.items):
                return item
        return None


def answer_value(answer: Answer) -> tuple[str, Any]:
    """The element name and value of one answer ({"valueInteger": 3} -> ("valueInteger", 3))."""
    ((key, value),) = ((k, v) for k, v in answer.items() if k.startswith("value"))
    return key, value


def same_answer(a: Answer, b: Answer) -> bool:
    key_a, value_a = answer_value(a)
    key_b, value_b = answer_value(b)
    if key_a == key_b == "valueCoding":
        same_system = not value_a.get("system") or not value_b.get("system") or value_a["system"] == value_b["system"]
        return same_system and value_a.get("code") == value_b.get("code")
    return key_a == key_b and value_a == value_b
