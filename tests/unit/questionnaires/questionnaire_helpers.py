"""Small Questionnaires for the tests (#20), written for them: one R4 with every item type, one STU3 like the
MedMij Vragenlijsten examples (option, contained ValueSet via options, enableWhen with hasAnswer/answerX)."""

from __future__ import annotations

from typing import Any

SNOMED = "http://snomed.info/sct"


def r4(*items: dict[str, Any], contained: list[dict] | None = None) -> dict[str, Any]:
    resource = {
        "resourceType": "Questionnaire",
        "id": "test",
        "url": "https://example.org/Questionnaire/test",
        "version": "1",
        "status": "active",
        "title": "Test",
        "item": list(items),
    }
    if contained:
        resource["contained"] = contained
    return resource


def question(link_id: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"linkId": link_id, "type": kind, "text": f"Question {link_id}", **extra}


YES_NO_VS = {
    "resourceType": "ValueSet",
    "id": "yn",
    "status": "active",
    "compose": {
        "include": [
            {
                "system": SNOMED,
                "concept": [{"code": "373066001", "display": "Ja"}, {"code": "373067005", "display": "Nee"}],
            }
        ]
    },
}


def every_type() -> dict[str, Any]:
    return r4(
        question("intro", "display"),
        {
            "linkId": "g",
            "type": "group",
            "text": "A group",
            "item": [
                question("bool", "boolean", required=True),
                question(
                    "choice",
                    "choice",
                    answerOption=[
                        {"valueCoding": {"system": SNOMED, "code": "1", "display": "One"}},
                        {"valueString": "Two"},
                    ],
                ),
                question("vs", "choice", answerValueSet="#yn"),
                question("open", "open-choice", answerOption=[{"valueString": "Red"}, {"valueString": "Blue"}]),
                question("int", "integer"),
                question("dec", "decimal"),
                question("date", "date"),
                question("str", "string", maxLength=10),
                question("text", "text"),
                question("many", "choice", repeats=True, answerOption=[{"valueInteger": 1}, {"valueInteger": 2}]),
            ],
        },
        question("file", "attachment"),
        question("ref", "reference"),
        question("qty", "quantity"),
        question("url", "url"),
        question("time", "time"),
        contained=[YES_NO_VS],
    )


def stu3_medmij_style() -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": "vragenlijst-klachten",
        "url": "https://example.org/fhir/Questionnaire/vragenlijst-klachten",
        "version": "2",
        "status": "active",
        "title": "Klachten voor het spreekuur",
        "contained": [YES_NO_VS],
        "item": [
            {
                "linkId": "1",
                "type": "choice",
                "text": "Heeft u pijn?",
                "required": True,
                "options": {"reference": "#yn"},
            },
            {
                "linkId": "2",
                "type": "integer",
                "text": "Hoeveel pijn, van 0 tot 10?",
                "enableWhen": [{"question": "1", "answerCoding": {"system": SNOMED, "code": "373066001"}}],
                "required": True,
            },
            {
                "linkId": "3",
                "type": "choice",
                "text": "Hoe vaak?",
                "option": [{"valueString": "Soms"}, {"valueString": "Vaak"}],
                "enableWhen": [{"question": "2", "hasAnswer": True}],
            },
            {"linkId": "4", "type": "string", "text": "Wat wilt u nog zeggen?"},
        ],
    }
