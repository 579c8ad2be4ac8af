"""Check the patient's answers to some items and turn them into FHIR answer elements (#20, 2026-12-03).

Form data is a mapping of field name to a list of strings (``request.form.to_dict(flat=False)``). Each item has
its own field (``Item.field``); a choice submits the number of the option (1, 2, ...), an open choice may add
free text in ``<field>-other``. Messages say what to fix, in the current language (``pgo.i18n``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pgo.i18n import _
from pgo.questionnaires.enable import enabled_items
from pgo.questionnaires.model import CHOICE_TYPES, Answer, Answers, Item, Questionnaire

MAX_TEXT = 4000
DUTCH_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
WHOLE = re.compile(r"^[+-]?\d{1,9}$")
NUMBER = re.compile(r"^[+-]?\d{1,12}([.,]\d{1,6})?$")


@dataclass
class Checked:
    """The answers found for the items, and per field what to fix. Nothing is stored when ``errors`` is set."""

    answers: Answers = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)  # linkIds whose only error is "required"

    @property
    def ok(self) -> bool:
        return not self.errors


def _values(form: Mapping[str, Any], name: str) -> list[str]:
    value = form.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def parse_date(text: str) -> date | None:
    """A date written as 2026-12-25 (a date field) or 25-12-2026 (typed); None when it is not a real date."""
    if match := ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := DUTCH_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _one_value(item: Item, text: str) -> tuple[Answer | None, str | None]:
    """One typed answer as an answer element, or the message saying what to fix."""
    if item.type == "integer":
        if not WHOLE.match(text):
            return None, _("Enter a whole number, like 12.")
        return {"valueInteger": int(text)}, None
    if item.type == "decimal":
        if not NUMBER.match(text):
            return None, _("Enter a number, like 7 or 7,5.")
        try:
            return {"valueDecimal": float(Decimal(text.replace(",", ".")))}, None
        except InvalidOperation:  # pragma: no cover - the pattern allows only numbers
            return None, _("Enter a number, like 7 or 7,5.")
    if item.type in ("date", "dateTime"):
        found = parse_date(text)
        if found is None:
            return None, _("Enter a date as day-month-year, like 25-12-2026.")
        return {item.element: found.isoformat()}, None
    limit = min(item.max_length or MAX_TEXT, MAX_TEXT)
    if len(text) > limit:
        return None, _("Use at most %(n)s characters. You used %(used)s.", n=limit, used=len(text))
    return {"valueString": text}, None


def _choice(item: Item, form: Mapping[str, Any]) -> tuple[list[Answer], str | None]:
    chosen = _values(form, item.field)
    answers: list[Answer] = []
    for value in chosen:
        number = int(value) if value.isdigit() else 0
        if not 1 <= number <= len(item.options):
            return [], _("Choose from the answers shown.")
        answers.append(item.options[number - 1].answer)
    if item.type == "open-choice":
        other = _values(form, f"{item.field}-other")
        if other:
            as_text = Item(item.link_id, "string", "", item.field, max_length=item.max_length)
            answer, problem = _one_value(as_text, other[0])
            if problem:
                return [], problem
            answers.append(answer)
    if len(answers) > 1 and not item.repeats:
        return [], _("Choose one answer.")
    return answers, None


def _item_answers(item: Item, form: Mapping[str, Any]) -> tuple[list[Answer], str | None]:
    if item.type in CHOICE_TYPES:
        return _choice(item, form)
    texts = _values(form, item.field)
    if item.type == "boolean":
        if any(text not in ("true", "false") for text in texts) or len(texts) > 1:
            return [], _("Choose yes or no.")
        return [{"valueBoolean": text == "true"} for text in texts], None
    if not item.repeats:
        texts = texts[:1]
    answers = []
    for text in texts:
        answer, problem = _one_value(item, text)
        if problem:
            return [], problem
        answers.append(answer)
    return answers, None


def required_message(item: Item) -> str:
    if item.type in (*CHOICE_TYPES, "boolean"):
        return _("Choose an answer to this question.")
    return _("Answer this question. Fill it in above.")


def check_answers(
    questionnaire: Questionnaire,
    items: list[Item],
    form: Mapping[str, Any],
    *,
    saved: Answers,
    require: bool = True,
) -> Checked:
    """Check the answers to ``items`` (the answerable ones of a page) against the form.

    ``saved`` holds the answers given before (other pages): enableWhen is evaluated on those plus these. With
    ``require`` False ("stop and continue later") a required question may stay empty; wrong values never pass.
    """
    result = Checked()
    for item in items:
        if not (item.answerable and item.supported):
            continue
        answers, problem = _item_answers(item, form)
        if problem:
            result.errors[item.field] = problem
        elif answers:
            result.answers[item.link_id] = answers
    combined = merge(saved, result.answers, [item.link_id for item in items])
    enabled = enabled_items(questionnaire, combined)
    for item in items:
        if item.link_id not in enabled:
            result.answers.pop(item.link_id, None)
            result.errors.pop(item.field, None)
        elif require and _unanswered_required(item, result):
            result.errors[item.field] = required_message(item)
            result.unanswered.append(item.link_id)
    return result


def _unanswered_required(item: Item, result: Checked) -> bool:
    return (
        item.required and item.answerable and item.supported
        and not result.answers.get(item.link_id) and item.field not in result.errors
    )  # fmt: skip


def merge(saved: Answers, new: Answers, replaced: list[str]) -> Answers:
    """The saved answers with those of ``replaced`` items swapped for ``new`` (an emptied answer is removed)."""
    kept = {link_id: answers for link_id, answers in saved.items() if link_id not in replaced}
    return {**kept, **{link_id: answers for link_id, answers in new.items() if answers}}


def missing_required(questionnaire: Questionnaire, answers: Answers) -> list[Item]:
    """Enabled, required, answerable items without an answer (what blocks completing)."""
    enabled = enabled_items(questionnaire, answers)
    return [
        item
        for item in questionnaire.walk()
        if item.link_id in enabled and item.required and item.answerable and item.supported
        and not answers.get(item.link_id)
    ]  # fmt: skip
