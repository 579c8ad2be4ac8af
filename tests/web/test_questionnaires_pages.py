"""The patient's questionnaires (#20): to-do list, pages from the Questionnaire itself, save/stop/resume,
summary, finish; the default view per group, the simplified view per question; every page checked (CheckedClient)."""

from __future__ import annotations

import re

import pytest
from decisions_web_helpers import practice, signed_in
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from pgo.questionnaires import store
from pgo.questionnaires.models import QuestionnaireOffer
from pgo.questionnaires.response import answers_in
from pgo.questionnaires.shipped import shipped_questionnaire, shipped_resource
from pgo.questionnaires.tasks import questionnaire_task


@pytest.fixture
def people(db_session, make_user):
    return practice(db_session, make_user)


def offer(db_session, user, key="how-are-you", resource=None):
    resource = resource or shipped_resource(key, "nl")
    task = questionnaire_task(
        task_id=f"t-{resource['id']}", questionnaire_id=resource["id"], patient_reference="Patient/p1",
        fhir_version="R4", authored="2026-12-01",
    )  # fmt: skip
    found = store.offer_from_task(
        session=db_session, user_id=user.id, task=task, questionnaires={f"Questionnaire/{resource['id']}": resource},
        source="sandbox", source_name="Ziekenhuis Zuid",
    )  # fmt: skip
    db_session.commit()
    return found


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def form_token(html: str) -> dict:
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "form_token": re.search(r'name="form_token" value="([^"]+)"', html).group(1),
    }


def post(client, path, data, action="next"):
    html = client.get(path).get_data(as_text=True)
    return client.post(path, data={**form_token(html), **data, "action": action})


def stored(db_session, offer_id):
    db_session.expire_all()
    return db_session.get(QuestionnaireOffer, offer_id)


Q = shipped_questionnaire("how-are-you", "nl")
AREAS = ("body", "feelings", "meaning", "life", "people", "daily")


def f(link_id: str) -> str:
    return Q.item(link_id).field


def test_the_to_do_list_shows_what_a_provider_asks(app, people, db_session):
    anna = people[0]
    offer(db_session, anna)
    html = signed_in(app, "anna@example.nl").get("/questionnaires/").get_data(as_text=True)
    assert "Hoe gaat het met u?" in html and "Ziekenhuis Zuid vraagt u dit in te vullen." in html
    assert "Te doen" in html


def test_default_view_one_group_per_page_through_to_a_valid_response(app, people, db_session):
    anna = people[0]
    found = offer(db_session, anna)
    client = signed_in(app, "anna@example.nl")
    page = client.get(f"/questionnaires/{found.id}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/questionnaires/{found.id}/pages/1")
    html = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "Deel 1 van 7" in html and "Hoe gaat het met uw lichaam?" in html
    assert "Hoe voelt u zich" not in html  # the next group is on the next page
    # required: an empty page says what to fix and stores nothing
    response = post(client, f"/questionnaires/{found.id}/pages/1", {})
    assert response.status_code == 400
    assert "Kies een antwoord op deze vraag." in response.get_data(as_text=True)
    # 'not good' switches on the question what to change: shown on the same page before moving on
    response = post(client, f"/questionnaires/{found.id}/pages/1", {f("body-score"): "1"})
    assert response.status_code == 303 and "/pages/1?new=body-change" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wat zou u graag anders willen?" in html and "Er staat nu meer op deze pagina" in html
    response = post(
        client, f"/questionnaires/{found.id}/pages/1", {f("body-score"): "1", f("body-change"): "Beter slapen"}
    )
    assert response.headers["Location"].endswith("/pages/2")
    for number, area in enumerate(AREAS[1:], 2):
        assert post(client, f"/questionnaires/{found.id}/pages/{number}", {f(f"{area}-score"): "4"}).status_code == 303
    response = post(client, f"/questionnaires/{found.id}/pages/7", {f("talk-want"): "true"})
    assert "/pages/7?new=" in response.headers["Location"]
    response = post(
        client, f"/questionnaires/{found.id}/pages/7", {f("talk-want"): "true", f("talk-topics"): ["1", "6"]}
    )
    assert response.headers["Location"].endswith("/summary")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Beter slapen" in html and "Uw lichaam, Elke dag" in html
    done = client.post(f"/questionnaires/{found.id}/complete", data={"csrf_token": csrf(html)})
    assert done.status_code == 303
    offer_now = stored(db_session, found.id)
    assert offer_now.status == "ready-to-send"
    QuestionnaireResponse.model_validate(offer_now.response)
    answers = answers_in(offer_now.response)
    assert answers["body-change"] == [{"valueString": "Beter slapen"}]
    assert answers["talk-topics"] == [{"valueString": "Uw lichaam"}, {"valueString": "Elke dag"}]
    assert len(answers) == 9
    assert "Klaar om te versturen naar Ziekenhuis Zuid" in client.get("/questionnaires/").get_data(as_text=True)


def test_simplified_view_one_question_per_screen_stop_and_resume(app, db_session, make_user):
    anna = make_user("anna@example.nl", simplified=True)
    found = offer(db_session, anna)
    client = signed_in(app, "anna@example.nl")
    html = client.get(f"/questionnaires/{found.id}/pages/1").get_data(as_text=True)
    assert "Vraag 1 van" in html and html.count('class="field q-question') == 1
    assert "Denk aan: slapen, eten, pijn en bewegen." in html  # the display text goes with its question
    assert (
        post(client, f"/questionnaires/{found.id}/pages/1", {f("body-score"): "5"})
        .headers["Location"]
        .endswith("/pages/3")
    )  # page 2 (what to change) is off for 'very good'
    stop = post(client, f"/questionnaires/{found.id}/pages/3", {}, action="stop")
    assert stop.status_code == 303 and stop.headers["Location"].endswith("/questionnaires/")
    assert "Begonnen." in client.get("/questionnaires/").get_data(as_text=True)
    resume = client.get(f"/questionnaires/{found.id}")
    assert resume.headers["Location"].endswith("/pages/3")
    assert stored(db_session, found.id).answers["body-score"][0]["valueCoding"]["code"] == "5"


def test_a_double_submit_is_saved_once(app, people, db_session):
    anna = people[0]
    found = offer(db_session, anna)
    client = signed_in(app, "anna@example.nl")
    html = client.get(f"/questionnaires/{found.id}/pages/1").get_data(as_text=True)
    data = {**form_token(html), f("body-score"): "3", "action": "next"}
    first = client.post(f"/questionnaires/{found.id}/pages/1", data=data)
    second = client.post(f"/questionnaires/{found.id}/pages/1", data={**data, f("body-score"): "2"})
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith(f"/questionnaires/{found.id}")
    assert stored(db_session, found.id).answers["body-score"][0]["valueCoding"]["code"] == "3"


def test_unsupported_questions_say_so_and_do_not_block(app, people, db_session):
    resource = {
        "resourceType": "Questionnaire", "id": "x", "status": "active", "title": "Foto's",
        "item": [
            {"linkId": "photo", "type": "attachment", "text": "Stuur een foto", "required": True},
            {"linkId": "ok", "type": "boolean", "text": "Gaat het goed?"},
        ],
    }  # fmt: skip
    found = offer(db_session, people[0], resource=resource)
    client = signed_in(app, "anna@example.nl")
    html = client.get(f"/questionnaires/{found.id}/pages/1").get_data(as_text=True)
    assert "Deze vraag kunt u niet beantwoorden in pgo." in html and 'type="file"' not in html
    assert post(client, f"/questionnaires/{found.id}/pages/1", {"q2": "true"}).headers["Location"].endswith("/summary")
    html = client.get(f"/questionnaires/{found.id}/summary").get_data(as_text=True)
    client.post(
        f"/questionnaires/{found.id}/complete",
        data={"csrf_token": csrf(html)},
    )
    assert stored(db_session, found.id).status == "ready-to-send"


def test_others_cannot_see_it(app, people, db_session):
    found = offer(db_session, people[0])
    assert signed_in(app, "bert@example.nl").get(f"/questionnaires/{found.id}/pages/1").status_code == 404
    assert signed_in(app, "bert@example.nl").get(f"/questionnaires/{found.id}/summary").status_code == 404
    assert signed_in(app, "doc@example.nl").get(f"/questionnaires/{found.id}/pages/1").status_code == 403
    assert signed_in(app, "anna@example.nl").get(f"/questionnaires/{found.id}/pages/99").status_code == 404


def test_english_follows_the_language_for_pgos_own_questionnaires(app, people, db_session):
    found = offer(db_session, people[0], key="phq-9", resource=shipped_resource("phq-9", "nl"))
    client = signed_in(app, "anna@example.nl")
    client.post(
        "/language", data={"lang": "en", "csrf_token": csrf(client.get("/questionnaires/").get_data(as_text=True))}
    )
    html = client.get(f"/questionnaires/{found.id}/pages/1").get_data(as_text=True)
    assert "Little interest or pleasure in doing things" in html and "Part 1 of" in html


def test_read_aloud_of_a_question_with_its_intro_and_of_an_unknown_one(app, people, db_session):
    found = offer(db_session, people[0])
    client = signed_in(app, "anna@example.nl")
    audio = client.get(f"/questionnaires/{found.id}/read-aloud?item=body-hint&item=body-score")
    assert audio.status_code == 200 and audio.headers["Content-Type"] == "audio/wav" and audio.data[:4] == b"RIFF"
    assert client.get(f"/questionnaires/{found.id}/read-aloud?item=nope").status_code == 404
    assert client.get(f"/questionnaires/{found.id}/read-aloud?item=body-score&item=nope").status_code == 404


def test_htmx_saves_lead_to_a_full_page_load_and_errors_come_in_place(app, people, db_session):
    found = offer(db_session, people[0])
    client = signed_in(app, "anna@example.nl")
    html = client.get(f"/questionnaires/{found.id}/pages/1").get_data(as_text=True)
    headers = {"HX-Request": "true"}
    bad = client.post(
        f"/questionnaires/{found.id}/pages/1", data={**form_token(html), "action": "next"}, headers=headers
    )
    assert bad.status_code == 400 and 'id="questionnaire"' in bad.get_data(as_text=True)
    good = client.post(
        f"/questionnaires/{found.id}/pages/1",
        data={**form_token(html), f("body-score"): "4", "action": "next"},
        headers=headers,
    )
    assert good.status_code == 200 and good.headers["HX-Redirect"].endswith(f"/questionnaires/{found.id}/pages/2")
