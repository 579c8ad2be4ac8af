"""enableWhen and enableBehavior (#20, 2026-12-03): which items the patient sees, given the answers so far.

An item is enabled when its parent is enabled and its conditions hold ('all' or 'any' of them, as
``enable_behavior`` says). Answers of a disabled item count as no answer, as the FHIR specification says.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pgo.questionnaires.model import Answers, Condition, Item, Questionnaire, answer_value, same_answer


def enabled_items(questionnaire: Questionnaire, answers: Answers) -> set[str]:
    """The linkIds of every enabled item."""
    memo: dict[str, bool] = {}
    visiting: set[str] = set()
    parents = {child.link_id: item.link_id for item in questionnaire.walk() for child in item.items}

    def enabled(link_id: str) -> bool:
        if link_id in memo:
            return memo[link_id]
        if link_id in visiting:  # a cycle of conditions: treat as not enabled rather than loop
            return False
        visiting.add(link_id)
        item = questionnaire.by_link_id[link_id]
        parent = parents.get(link_id)
        result = (parent is None or enabled(parent)) and _conditions_hold(item, answers, enabled, questionnaire)
        visiting.discard(link_id)
        memo[link_id] = result
        return result

    return {item.link_id for item in questionnaire.walk() if enabled(item.link_id)}


def _conditions_hold(item: Item, answers: Answers, enabled, questionnaire: Questionnaire) -> bool:
    if not item.conditions:
        return True
    results = []
    for condition in item.conditions:
        known = condition.question in questionnaire.by_link_id and enabled(condition.question)
        given = answers.get(condition.question, []) if known else []
        results.append(condition_holds(condition, given))
    return all(results) if item.enable_behavior == "all" else any(results)


def condition_holds(condition: Condition, given: list[dict[str, Any]]) -> bool:
    """Whether one enableWhen holds for the answers given to its question."""
    if condition.operator == "exists":
        wanted = True if condition.answer is None else bool(answer_value(condition.answer)[1])
        return bool(given) == wanted
    if condition.answer is None:
        return False
    if condition.operator == "=":
        return any(same_answer(answer, condition.answer) for answer in given)
    if condition.operator == "!=":
        return bool(given) and not any(same_answer(answer, condition.answer) for answer in given)
    return any(_compare(answer, condition.answer, condition.operator) for answer in given)


def _comparable(answer: dict[str, Any]) -> Any:
    key, value = answer_value(answer)
    if key in ("valueInteger", "valueDecimal"):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    if key == "valueCoding":
        return value.get("code")
    return value


def _compare(answer: dict[str, Any], wanted: dict[str, Any], operator: str) -> bool:
    left, right = _comparable(answer), _comparable(wanted)
    if left is None or right is None or type(left) is not type(right):
        return False
    return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}.get(operator, False)
