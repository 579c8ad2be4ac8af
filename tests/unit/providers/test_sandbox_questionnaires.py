"""The sandbox offers questionnaires (#20): Task + Questionnaire in its FHIR API, R4 for Jo and STU3 for Johan;
pgo offers them, the patient answers every question, the response validates against the Questionnaire."""

from __future__ import annotations

import pytest
import requests
from fhir.resources.R4B.task import Task
from fhir.resources.STU3.questionnaireresponse import QuestionnaireResponse as QuestionnaireResponseSTU3
from fhir.resources.STU3.task import Task as TaskSTU3

from pgo.providers.queries import QUESTIONNAIRES, queries_for
from pgo.questionnaires import store
from pgo.questionnaires.response import answers_in
from pgo.sandbox.questionnaires import questionnaire_resources, to_stu3


def fetch(provider, tokens, path):
    headers = {"Authorization": f"Bearer {tokens.access_token}"}
    answer = requests.get(f"{provider.fhir_base_url}/{path}", headers=headers, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(("username", "version", "tasks"), [("jo", "R4", 2), ("johan", "STU3", 1)])
def test_tasks_point_to_questionnaires_of_the_patients_fhir_version(
    provider, connect, session, patient, username, version, tasks
):
    tokens = connect(provider, username)
    (query,) = queries_for(version, (QUESTIONNAIRES,))  # MedMij Vragenlijsten: the open Tasks
    bundle = fetch(provider, tokens, query.text)
    found = [entry["resource"] for entry in bundle["entry"]]
    assert len(found) == tasks
    for task in found:
        (TaskSTU3 if version == "STU3" else Task).model_validate(task)
        assert store.task_subject(task) == f"Patient/{tokens.patient}"
    reference = store.questionnaire_reference(found[0])
    questionnaire = fetch(provider, tokens, reference)
    offers = store.offers_from_resources(
        session=session, user_id=patient.id, resources=[*found, questionnaire], source="sandbox", source_name="Sandbox"
    )
    assert offers[0].fhir_version == version and offers[0].subject_reference == f"Patient/{tokens.patient}"


def test_johan_answers_the_stu3_questionnaire_and_the_response_validates(session, patient):
    resources = list(questionnaire_resources("johan"))
    (offer,) = store.offers_from_resources(session=session, user_id=patient.id, resources=resources, source="sandbox")
    model = store.questionnaire_of(offer)
    assert model.fhir_version == "STU3"
    form = {
        model.item(f"{area}-score").field: ["2"] for area in ("body", "feelings", "meaning", "life", "people", "daily")
    }
    form |= {model.item("body-change").field: ["Meer rust"], model.item("talk-want").field: ["true"]}
    form |= {model.item("talk-topics").field: ["1", "2"]}
    link_ids = [item.link_id for item in model.walk()]
    assert store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=link_ids, form_data=form, token="j"
    ).ok
    finished = store.finish(session=session, offer_id=offer.id, user_id=patient.id)
    assert finished.ok, finished.errors
    QuestionnaireResponseSTU3.model_validate(finished.offer.response)
    answers = answers_in(finished.offer.response)
    assert len(answers) == 9 and answers["body-change"] == [{"valueString": "Meer rust"}]


def test_phq9_cannot_be_written_the_stu3_way():
    """PHQ-9's question 10 depends on 'not equal' answers, which STU3 cannot say: the sandbox offers it in R4 only."""
    from pgo.questionnaires.shipped import shipped_resource

    with pytest.raises(ValueError, match="no enableWhen operator"):
        to_stu3(shipped_resource("phq-9", "nl"))
