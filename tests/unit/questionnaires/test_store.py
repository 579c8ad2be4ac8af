"""A patient's questionnaires (#20): offered once, saved per page, a double submit saved once, stop and resume,
finished into a valid QuestionnaireResponse that is ready to send."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.STU3.questionnaireresponse import QuestionnaireResponse as QuestionnaireResponseSTU3
from questionnaire_helpers import SNOMED, stu3_medmij_style
from sqlmodel import Session, select

from pgo.accounts.models import Role, User
from pgo.questionnaires import store
from pgo.questionnaires.models import OfferStatus, QuestionnaireOffer, QuestionnaireSubmission
from pgo.questionnaires.reading import QuestionnaireError
from pgo.questionnaires.response import answers_in
from pgo.questionnaires.shipped import shipped_questionnaire, shipped_resource


@pytest.fixture
def patient(session):
    user = User(email="p@example.nl", role=Role.PATIENT)
    session.add(user)
    session.flush()
    return user


TASK = {
    "resourceType": "Task",
    "id": "task-1",
    "status": "requested",
    "intent": "order",
    "for": {"reference": "Patient/johan"},
    "definitionReference": {"reference": "Questionnaire/vragenlijst-klachten"},
}


def provider_offer(session, patient):
    return store.offer_from_task(
        session=session,
        user_id=patient.id,
        task=TASK,
        questionnaires={"Questionnaire/vragenlijst-klachten": stu3_medmij_style()},
        source="sandbox",
        source_name="Ziekenhuis Zuid",
    )


def fields(offer, *link_ids):
    model = store.questionnaire_of(offer)
    return {link_id: model.item(link_id).field for link_id in link_ids}


def test_a_task_is_offered_once(session, patient):
    first = provider_offer(session, patient)
    again = provider_offer(session, patient)
    assert first.id == again.id
    assert (first.fhir_version, first.subject_reference, first.status) == ("STU3", "Patient/johan", "open")
    assert store.open_offers(session=session, user_id=patient.id) == [first]


def test_a_finished_task_or_one_without_questionnaire_is_not_offered(session, patient):
    done = {**TASK, "status": "completed"}
    kw = dict(session=session, user_id=patient.id, source="sandbox", questionnaires={})
    assert store.offer_from_task(task=done, **kw) is None
    assert store.offer_from_task(task=TASK, **kw) is None


def test_a_broken_questionnaire_is_refused_and_nothing_stored(session, patient):
    with pytest.raises(QuestionnaireError, match="not a valid"):
        store.offer_questionnaire(
            session=session, user_id=patient.id, resource={"resourceType": "Questionnaire"}, source="x", task_id="1"
        )
    assert session.exec(select(QuestionnaireOffer)).all() == []


def test_save_stop_resume_finish_ready_to_send(session, engine, patient):
    offer = provider_offer(session, patient)
    f = fields(offer, "1", "2", "3", "4")
    result = store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=["1"], form_data={f["1"]: ["1"]},
        token="t1", position="2",
    )  # fmt: skip
    assert result.ok and result.newly_shown == []
    session.commit()
    # stop on page 2 without answering the required question: allowed, position kept
    result = store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=["2"], form_data={}, token="t2",
        require=False, position="2",
    )  # fmt: skip
    assert result.ok
    session.commit()
    with Session(engine) as fresh:  # resume: a new request sees the answers and where to continue
        stored = fresh.get(QuestionnaireOffer, offer.id)
        assert stored.current_link_id == "2" and stored.status == "in-progress"
        assert stored.answers["1"][0]["valueCoding"]["code"] == "373066001"
    finished = store.finish(session=session, offer_id=offer.id, user_id=patient.id)
    assert finished.errors == {f["2"]: "Beantwoord eerst deze vraag: Hoeveel pijn, van 0 tot 10?"}
    for token, link_id, value in (("t3", "2", "7"), ("t4", "3", "2"), ("t5", "4", "Niets meer")):
        assert store.save_page(
            session=session, offer_id=offer.id, user_id=patient.id, link_ids=[link_id], form_data={f[link_id]: [value]},
            token=token,
        ).ok  # fmt: skip
    finished = store.finish(session=session, offer_id=offer.id, user_id=patient.id)
    assert finished.ok and finished.offer.status == OfferStatus.READY_TO_SEND
    resource = finished.offer.response
    QuestionnaireResponseSTU3.model_validate(resource)
    assert resource["subject"] == {"reference": "Patient/johan"}
    assert answers_in(resource) == {
        "1": [{"valueCoding": {"system": SNOMED, "code": "373066001", "display": "Ja"}}],
        "2": [{"valueInteger": 7}],
        "3": [{"valueString": "Vaak"}],
        "4": [{"valueString": "Niets meer"}],
    }
    assert store.ready_to_send(session=session, source="sandbox") == [finished.offer]
    store.mark_sent(session=session, offer_id=offer.id)
    assert finished.offer.status == OfferStatus.SENT and finished.offer.sent_at is not None
    assert store.finish(session=session, offer_id=offer.id, user_id=patient.id).duplicate


def test_a_double_submit_is_saved_once(session, patient):
    offer = provider_offer(session, patient)
    f = fields(offer, "4")
    kw = dict(session=session, offer_id=offer.id, user_id=patient.id, link_ids=["4"], token="same")
    assert not store.save_page(form_data={f["4"]: ["eerste"]}, **kw).duplicate
    second = store.save_page(form_data={f["4"]: ["tweede"]}, **kw)
    assert second.duplicate and second.offer.answers["4"] == [{"valueString": "eerste"}]
    assert len(session.exec(select(QuestionnaireSubmission)).all()) == 1


def test_wrong_answers_store_nothing(session, patient):
    offer = provider_offer(session, patient)
    f = fields(offer, "1", "2")
    store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=["1"], form_data={f["1"]: ["1"]}, token="a"
    )
    before = dict(offer.answers)
    result = store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=["2"], form_data={f["2"]: ["veel"]}, token="b"
    )
    assert not result.ok and offer.answers == before
    assert session.exec(select(QuestionnaireSubmission).where(QuestionnaireSubmission.token == "b")).first() is None


def test_a_newly_shown_question_on_the_same_page_is_reported(session, patient):
    offer = provider_offer(session, patient)
    f = fields(offer, "1", "2")
    result = store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=["1", "2"], form_data={f["1"]: ["1"]},
        token="x",
    )  # fmt: skip
    # the pain question was not on screen yet: it is shown first, not blamed for being empty
    assert result.ok and result.newly_shown == ["2"]


def test_someone_else_cannot_touch_the_offer(session, patient):
    offer = provider_offer(session, patient)
    other = User(email="o@example.nl", role=Role.PATIENT)
    session.add(other)
    session.flush()
    with pytest.raises(store.OfferNotFound, match=str(offer.id)):
        store.save_page(session=session, offer_id=offer.id, user_id=other.id, link_ids=[], form_data={}, token="z")


def test_a_shipped_questionnaire_is_completed_in_pgo_and_follows_the_language(session, patient):
    offer = store.offer_shipped(session=session, user_id=patient.id, key="phq-9", lang="nl")
    english = store.questionnaire_of(offer, "en")
    assert english.item("phq9-1").text == "Little interest or pleasure in doing things"
    form = {english.item(f"phq9-{n}").field: ["1"] for n in range(1, 10)}
    link_ids = [f"phq9-{n}" for n in range(1, 10)]
    assert store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=link_ids, form_data=form, token="p", lang="en"
    ).ok
    finished = store.finish(session=session, offer_id=offer.id, user_id=patient.id, lang="en")
    assert finished.ok and finished.offer.status == OfferStatus.COMPLETED
    QuestionnaireResponse.model_validate(finished.offer.response)
    assert finished.offer.response["questionnaire"] == "https://pgo.example.nl/fhir/Questionnaire/phq-9|2026-12-03"
    assert len(answers_in(finished.offer.response)) == 9  # question 10 stays off: no problems reported
    assert shipped_questionnaire("phq-9", "nl").item("phq9-1").text.startswith("Weinig interesse")


def test_finished_r4_responses_are_in_the_export(session, patient):
    from fhir.resources.R4B.bundle import Bundle

    from pgo.records.export import export_bundle

    offer = store.offer_shipped(session=session, user_id=patient.id, key="how-are-you")
    model = store.questionnaire_of(offer)
    form = {model.item(f"{a}-score").field: ["4"] for a in ("body", "feelings", "meaning", "life", "people", "daily")}
    form[model.item("talk-want").field] = ["false"]
    link_ids = [item.link_id for item in model.walk()]
    assert store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=link_ids, form_data=form, token="e"
    ).ok
    assert store.finish(session=session, offer_id=offer.id, user_id=patient.id).ok
    bundle = export_bundle(session=session, user_id=patient.id)
    Bundle.model_validate(bundle)
    found = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert len(found) == 1 and len(answers_in(found[0])) == 7


def test_a_medmij_stu3_task_with_inputs_and_an_absolute_questionnaire_url(session, patient):
    """MedMij's vl-QuestionnaireProvisioningTask: the Questionnaire and the patient as inputs, the patient as owner."""
    resource = {**stu3_medmij_style(), "id": "phq"}
    task = {
        "resourceType": "Task",
        "id": "medmij-1",
        "status": "requested",
        "intent": "order",
        "code": {"coding": [{"system": "http://loinc.org", "code": "74468-0"}]},
        "owner": {"reference": "Patient/q"},
        "input": [
            {
                "type": {"text": "Questionnaire"},
                "valueReference": {"reference": "https://example.org/fhir/Questionnaire/phq"},
            },
            {"type": {"text": "Subject"}, "valueReference": {"reference": "Patient/q"}},
        ],
    }
    from fhir.resources.STU3.task import Task as TaskSTU3

    TaskSTU3.model_validate(task)
    (offer,) = store.offers_from_resources(session=session, user_id=patient.id, resources=[task, resource], source="x")
    assert offer.subject_reference == "Patient/q" and offer.fhir_version == "STU3"


def test_two_fetches_offering_the_same_task_at_once_keep_one_offer(engine, monkeypatch):
    """Two fetches at once each read 'not offered yet' and both insert: on PostgreSQL the second insert broke the
    fetch with a unique violation (fresh-clone run, 2026-12-03). The unique key now decides: the loser returns the
    winner's offer. Here the loser's read is made to miss, as it does in the race."""
    with Session(engine) as first, Session(engine) as second:
        user = User(email="race@example.nl", role=Role.PATIENT)
        first.add(user)
        first.commit()
        resource = shipped_resource("phq-9", "nl")
        won = store.offer_questionnaire(session=first, user_id=user.id, resource=resource, source="p", task_id="t1")
        first.commit()
        original, calls = store._offer_of_task, []

        def read_before_the_commit(*args):  # the race: the second fetch's first read misses the first's offer
            calls.append(args)
            return None if len(calls) == 1 else original(*args)

        monkeypatch.setattr(store, "_offer_of_task", read_before_the_commit)
        lost = store.offer_questionnaire(session=second, user_id=user.id, resource=resource, source="p", task_id="t1")
        second.commit()
        assert lost.id == won.id
        assert len(second.exec(select(QuestionnaireOffer).where(QuestionnaireOffer.user_id == user.id)).all()) == 1
