"""Build the FHIR QuestionnaireResponse for a set of answers, in the Questionnaire's own version (#20, 2026-12-03).

Only enabled items are included; a group is included when something in it is answered; the children of a
question go under its answer, as FHIR wants.
The result is checked with fhir.resources (R4 through its R4B models: the top-level ones are R5) before it is returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgo.questionnaires.enable import enabled_items
from pgo.questionnaires.model import Answers, Item, Questionnaire


class ResponseError(ValueError):
    """The built resource did not validate (a bug in pgo, never the patient's answers)."""


def canonical(questionnaire: Questionnaire) -> str:
    if questionnaire.url:
        return f"{questionnaire.url}|{questionnaire.version}" if questionnaire.version else questionnaire.url
    return f"Questionnaire/{questionnaire.id}"


def _items(items: tuple[Item, ...], answers: Answers, enabled: set[str]) -> list[dict[str, Any]]:
    built = []
    for item in items:
        if item.link_id not in enabled or item.type == "display":
            continue
        children = _items(item.items, answers, enabled)
        entry: dict[str, Any] = {"linkId": item.link_id}
        if item.text:
            entry["text"] = item.text
        if item.type == "group":
            if not children:
                continue
            entry["item"] = children
        else:
            given = answers.get(item.link_id, [])
            if not given:
                continue
            entry["answer"] = [dict(answer) for answer in given]
            if children:
                entry["answer"][0]["item"] = children
        built.append(entry)
    return built


def build_response(
    questionnaire: Questionnaire,
    answers: Answers,
    *,
    authored: datetime,
    subject: str | None = None,
    status: str = "completed",
    identifier: str | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """The QuestionnaireResponse (FHIR JSON) holding every enabled answer; ``subject`` is e.g. "Patient/123"."""
    enabled = enabled_items(questionnaire, answers)
    resource: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": status}
    if identifier:
        resource["identifier"] = {"system": "urn:ietf:rfc:3986", "value": identifier}
    if lang:
        resource["language"] = lang
    if questionnaire.fhir_version == "STU3":
        resource["questionnaire"] = {"reference": canonical(questionnaire)}
    else:
        resource["questionnaire"] = canonical(questionnaire)
    if subject:
        resource["subject"] = {"reference": subject}
    resource["authored"] = authored.isoformat(timespec="seconds")
    items = _items(questionnaire.items, answers, enabled)
    if items:
        resource["item"] = items
    validate_response(resource, questionnaire.fhir_version)
    return resource


def validate_response(resource: dict[str, Any], fhir_version: str) -> None:
    if fhir_version == "STU3":
        from fhir.resources.STU3.questionnaireresponse import QuestionnaireResponse as Model
    else:
        from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as Model
    try:
        Model.model_validate(resource)
    except Exception as error:
        raise ResponseError(str(error)) from error


def answers_in(resource: dict[str, Any]) -> Answers:
    """linkId -> answers, read back from a QuestionnaireResponse (nested items included)."""
    found: Answers = {}

    def visit(items: list[dict[str, Any]]) -> None:
        for item in items:
            answers = item.get("answer", [])
            if answers:
                found[item["linkId"]] = [{k: v for k, v in a.items() if k != "item"} for a in answers]
            visit(item.get("item", []))
            for answer in answers:
                visit(answer.get("item", []))

    visit(resource.get("item", []))
    return found


def problems_against(questionnaire: Questionnaire, resource: dict[str, Any]) -> list[str]:
    """What makes a QuestionnaireResponse not fit its Questionnaire (empty when it fits): unknown linkIds,
    answers of the wrong type or not among the options, required questions without an answer, answers to
    questions that are switched off. For tests and for a provider that receives responses."""
    from pgo.questionnaires.answers import missing_required
    from pgo.questionnaires.model import CHOICE_TYPES, answer_value

    answers = answers_in(resource)
    problems = [f"unknown linkId {link_id}" for link_id in answers if link_id not in questionnaire.by_link_id]
    enabled = enabled_items(questionnaire, answers)
    for link_id, given in answers.items():
        item = questionnaire.by_link_id.get(link_id)
        if item is None:
            continue
        if link_id not in enabled:
            problems.append(f"{link_id}: answered while switched off")
        if len(given) > 1 and not item.repeats:
            problems.append(f"{link_id}: several answers to a question that does not repeat")
        for answer in given:
            key, _value = answer_value(answer)
            if item.type == "choice" and not any(option.matches(answer) for option in item.options):
                problems.append(f"{link_id}: {key} is not one of the options")
            elif item.type not in CHOICE_TYPES and key != item.element:
                problems.append(f"{link_id}: {key} for a {item.type} question")
    problems += [f"{item.link_id}: required and not answered" for item in missing_required(questionnaire, answers)]
    return problems
