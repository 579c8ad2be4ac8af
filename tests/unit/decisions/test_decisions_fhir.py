"""A patient's answers as a FHIR R4 QuestionnaireResponse (validated with fhir.resources' R4B model, whose
QuestionnaireResponse is the same as R4's)."""

from __future__ import annotations

import pytest
from decisions_helpers import all_forms, make_user
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from pgo.decisions.aid import available_aids, load_aid
from pgo.decisions.fhir import LEVEL_EXTENSION, fhir_resources_for_export, questionnaire_response, to_fhir_questionnaire
from pgo.decisions.steps import complete, save_step, start_or_resume


def answers_by_link_id(items) -> dict[str, list]:
    found = {}
    for item in items or []:
        if item.get("answer"):
            found[item["linkId"]] = [
                a.get("valueCoding", {}).get("code", a.get("valueInteger", a.get("valueBoolean", a.get("valueString"))))
                for a in item["answer"]
            ]
        found.update(answers_by_link_id(item.get("item")))
    return found


def link_ids(items) -> set[str]:
    return {i["linkId"] for i in items or []} | {x for i in items or [] for x in link_ids(i.get("item"))}


@pytest.mark.parametrize("aid_id", [aid.id for aid in available_aids()])
def test_completed_response_is_valid_fhir_with_exactly_the_answers(session, aid_id):
    patient = make_user(session)
    aid = load_aid(aid_id)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=aid_id, lang="en", level="simple")
    forms = all_forms(aid)
    for step, form in forms.items():
        assert save_step(session=session, response_id=response.id, user_id=patient.id, step=step, form_data=form).ok
    assert complete(session=session, response_id=response.id, user_id=patient.id).ok

    resource = questionnaire_response(response, aid)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert parsed.questionnaire == f"{aid.url}|{aid.version}"
    assert resource["language"] == "en"
    assert resource["extension"] == [{"url": LEVEL_EXTENSION, "valueCode": "simple"}]

    expected = {
        **{c.link_id: [int(forms[2][f"importance-{c.link_id}"])] for c in aid.considerations},
        **{q.link_id: [forms[4][f"knowledge-{q.link_id}"]] for q in aid.knowledge_check},
        "sure.sure": [True],
        "sure.understand": [True],
        "sure.risk_benefit": [False],
        "sure.encouragement": [False],
        "preference": [forms[6]["preference"]],
        "questions.good": ["options", "my-situation"],
        "questions.own": ["Mag ik nog sporten?", "Hoe lang duurt het?"],
    }
    assert answers_by_link_id(resource["item"]) == expected
    # Every linkId answered exists in the aid's Questionnaire.
    assert link_ids(resource["item"]) <= link_ids(to_fhir_questionnaire(aid, "en")["item"])


def test_half_done_response_is_in_progress_with_only_what_was_saved(session):
    patient = make_user(session)
    aid = load_aid("knee-osteoarthritis")
    response = start_or_resume(session=session, user_id=patient.id, aid_id=aid.id)
    save_step(
        session=session, response_id=response.id, user_id=patient.id, step=6, form_data={"preference": "not-sure"}
    )
    resource = questionnaire_response(response, aid)
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] == "in-progress"
    assert resource["language"] == "nl"
    assert answers_by_link_id(resource["item"]) == {"preference": ["not-sure"]}


def test_a_fresh_response_without_answers_is_still_valid(session):
    patient = make_user(session)
    aid = load_aid("knee-osteoarthritis")
    response = start_or_resume(session=session, user_id=patient.id, aid_id=aid.id)
    resource = questionnaire_response(response, aid)
    QuestionnaireResponse.model_validate(resource)
    assert "item" not in resource


def test_export_yields_only_this_patients_responses(session):
    patient = make_user(session)
    other = make_user(session, email="other@example.nl")
    mine = [start_or_resume(session=session, user_id=patient.id, aid_id=aid.id) for aid in available_aids()]
    start_or_resume(session=session, user_id=other.id, aid_id="knee-osteoarthritis")
    exported = list(fhir_resources_for_export(session=session, user_id=patient.id))
    assert [r["identifier"]["value"] for r in exported] == [str(r.id) for r in mine]
    for resource in exported:
        QuestionnaireResponse.model_validate(resource)
