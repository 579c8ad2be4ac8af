"""The QuestionnaireResponse (#20): R4 or STU3 as the Questionnaire, valid for fhir.resources, every answer in it."""

from __future__ import annotations

from datetime import UTC, datetime

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.STU3.questionnaireresponse import QuestionnaireResponse as QuestionnaireResponseSTU3
from questionnaire_helpers import SNOMED, every_type, stu3_medmij_style

from pgo.questionnaires.reading import read_questionnaire
from pgo.questionnaires.response import answers_in, build_response

WHEN = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EVERY_ANSWER = {
    "bool": [{"valueBoolean": True}],
    "choice": [{"valueCoding": {"system": SNOMED, "code": "1", "display": "One"}}],
    "vs": [{"valueCoding": {"system": SNOMED, "code": "373066001", "display": "Ja"}}],
    "open": [{"valueString": "Groen"}],
    "int": [{"valueInteger": 12}],
    "dec": [{"valueDecimal": 7.5}],
    "date": [{"valueDate": "2026-12-25"}],
    "str": [{"valueString": "kort"}],
    "text": [{"valueString": "lang\nverhaal"}],
    "many": [{"valueInteger": 1}, {"valueInteger": 2}],
}


def test_r4_response_validates_and_holds_every_answer():
    model = read_questionnaire(every_type())
    resource = build_response(model, EVERY_ANSWER, authored=WHEN, subject="Patient/7", identifier="urn:uuid:x")
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.questionnaire == "https://example.org/Questionnaire/test|1"
    assert resource["subject"] == {"reference": "Patient/7"} and resource["status"] == "completed"
    assert answers_in(resource) == EVERY_ANSWER
    group = resource["item"][0]
    assert group["linkId"] == "g" and len(group["item"]) == len(EVERY_ANSWER)


def test_stu3_response_uses_a_reference_and_validates():
    model = read_questionnaire(stu3_medmij_style())
    answers = {
        "1": [{"valueCoding": {"system": SNOMED, "code": "373066001", "display": "Ja"}}],
        "2": [{"valueInteger": 6}],
        "3": [{"valueString": "Vaak"}],
        "4": [{"valueString": "Niets"}],
    }
    resource = build_response(model, answers, authored=WHEN)
    QuestionnaireResponseSTU3.model_validate(resource)
    assert resource["questionnaire"] == {"reference": "https://example.org/fhir/Questionnaire/vragenlijst-klachten|2"}
    assert answers_in(resource) == answers


def test_answers_of_switched_off_questions_are_left_out():
    model = read_questionnaire(stu3_medmij_style())
    no = {"valueCoding": {"system": SNOMED, "code": "373067005"}}
    resource = build_response(model, {"1": [no], "2": [{"valueInteger": 6}]}, authored=WHEN)
    assert answers_in(resource) == {"1": [no]}


def test_an_empty_response_is_still_valid():
    model = read_questionnaire(every_type())
    resource = build_response(model, {}, authored=WHEN, status="in-progress")
    QuestionnaireResponse.model_validate(resource)
    assert "item" not in resource


def test_problems_against_the_questionnaire():
    from pgo.questionnaires.response import problems_against

    model = read_questionnaire(every_type())
    good = build_response(model, EVERY_ANSWER, authored=WHEN)
    assert problems_against(model, good) == []
    bad = build_response(model, {**EVERY_ANSWER, "int": [{"valueString": "12"}]}, authored=WHEN)
    bad["item"].append({"linkId": "nope", "answer": [{"valueBoolean": True}]})
    bad["item"][0]["item"][1]["answer"] = [{"valueString": "Three"}]
    del bad["item"][0]["item"][0]  # the required boolean
    assert sorted(problems_against(model, bad)) == [
        "bool: required and not answered",
        "choice: valueString is not one of the options",
        "int: valueString for a integer question",
        "unknown linkId nope",
    ]
