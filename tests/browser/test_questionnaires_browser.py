"""A patient fills in a questionnaire her care provider sent (#20): to-do list, simplified view, read-aloud,
stop, resume, finish; the stored QuestionnaireResponse fits its Questionnaire with every answer."""

from __future__ import annotations

import re

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from sqlmodel import Session, select

from pgo.accounts.models import User
from pgo.demo import PATIENT_EMAIL
from pgo.questionnaires import store
from pgo.questionnaires.models import QuestionnaireOffer
from pgo.questionnaires.response import answers_in, problems_against
from pgo.questionnaires.shipped import shipped_resource
from pgo.questionnaires.tasks import questionnaire_task

pytestmark = pytest.mark.browser


def new_offer(live_server, task_id: str, key: str = "how-are-you") -> int:
    """The provider sends Anna a questionnaire (a Task + Questionnaire), offered as a connection would."""
    engine = live_server["app"].extensions["pgo_engine"]
    resource = shipped_resource(key, "nl")
    with Session(engine) as session:
        anna = session.exec(select(User).where(User.email == PATIENT_EMAIL)).one()
        task = questionnaire_task(
            task_id=task_id, questionnaire_id=resource["id"], patient_reference="Patient/anna", fhir_version="R4",
            authored="2026-12-02",
        )  # fmt: skip
        offer = store.offer_from_task(
            session=session, user_id=anna.id, task=task, questionnaires={f"Questionnaire/{resource['id']}": resource},
            source="sandbox", source_name="Zorgaanbieder Sandbox",
        )  # fmt: skip
        session.commit()
        return offer.id


def stored_offer(live_server, offer_id: int) -> QuestionnaireOffer:
    with Session(live_server["app"].extensions["pgo_engine"]) as session:
        return session.get(QuestionnaireOffer, offer_id)


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def press(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_anna_answers_in_the_simplified_view_stops_resumes_and_finishes(pages, live_server, console_errors):
    page = pages.page
    page.set_default_timeout(10000)
    offer_id = new_offer(live_server, "browser-story")
    # Given Anna, signed in, using the simplified view
    pages.sign_in(PATIENT_EMAIL)
    try:
        pages.choose_display("simplified", "nl")
        # When she opens her to-do list, the questionnaire from her provider is there
        pages.open("/questionnaires/")
        assert heading(page) == "Te doen"
        entry = page.locator(".todo-entry").filter(has=page.locator(f"a[href$='/questionnaires/{offer_id}']"))
        assert "Hoe gaat het met u?" in entry.inner_text()
        assert "Zorgaanbieder Sandbox vraagt u dit in te vullen." in entry.inner_text()
        with page.expect_navigation():
            entry.get_by_role("link", name=re.compile("Beginnen|Starten|Start")).click()
        # Then one question fills the screen, with read-aloud for the question and its answers
        assert page.get_by_text(re.compile(r"Vraag 1 van \d+")).is_visible()
        assert page.locator(".q-question").count() == 1
        # (one read-aloud per screen: the text before the question is read with it)
        assert page.get_by_role("main").get_by_role("link", name="Voorlezen").count() == 1
        read_aloud = page.locator(".q-question").get_by_role("link", name="Voorlezen")
        assert read_aloud.is_visible() and "/read-aloud?item=body-hint&item=body-score" in read_aloud.get_attribute(
            "href"
        )
        audio = page.request.get(pages.base_url + read_aloud.get_attribute("href"))
        assert audio.status == 200 and audio.headers["content-type"] == "audio/wav"
        # And a large target: the whole row of an answer is at least 44 px high
        row = page.locator(".q-question .choice").first.bounding_box()
        assert row["height"] >= 44
        page.get_by_label("Niet zo goed").check()
        press(page, "Opslaan en verder")
        # 'not so good' brings the question what she would like to change
        page.get_by_label(re.compile("Wat zou u graag anders willen")).fill("Beter slapen")
        press(page, "Opslaan en verder")
        page.get_by_label("Goed", exact=True).check()
        # When she stops
        press(page, "Stoppen en later verdergaan")
        assert heading(page) == "Te doen"
        assert "Begonnen." in entry.inner_text()
        # Then she continues later at the same question, her answer kept
        with page.expect_navigation():
            entry.get_by_role("link", name=re.compile("Verder|Continue")).click()
        assert page.get_by_label("Goed", exact=True).is_checked()
        press(page, "Opslaan en verder")
        for _ in range(4):  # the other areas: 'good'
            page.get_by_label("Goed", exact=True).check()
            press(page, "Opslaan en verder")
        page.get_by_label("Ja").check()
        press(page, "Opslaan en antwoorden nakijken")  # as far as she knew, the last question
        # 'yes' brings what to ask at the appointment, on the same screen, before the next question
        assert page.get_by_text("Vraag: wat kan ik zelf doen?").is_visible()
        press(page, "Opslaan en verder")
        page.get_by_label("Uw lichaam").check()
        page.get_by_label("Uw gevoel").check()
        press(page, "Opslaan en antwoorden nakijken")
        # The summary before finishing
        assert heading(page) == "Kijk uw antwoorden na"
        assert page.get_by_text("Beter slapen").is_visible()
        # And the secondary link-button is readable (it was white on white: a.button beat .button-secondary)
        back = page.get_by_role("link", name="Terug naar de vragen")
        colours = back.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert colours[0] != colours[1], colours
        press(page, "Afronden")
        assert "Dank u wel" in page.get_by_role("main").inner_text()
    finally:
        pages.choose_display("normal", "nl")
    # The stored response is valid FHIR and fits its Questionnaire with every answer
    offer = stored_offer(live_server, offer_id)
    assert offer.status == "ready-to-send"
    QuestionnaireResponse.model_validate(offer.response)
    questionnaire = store.questionnaire_of(offer)
    assert problems_against(questionnaire, offer.response) == []
    answers = answers_in(offer.response)
    assert answers["body-score"][0]["valueCoding"]["code"] == "2"
    assert answers["body-change"] == [{"valueString": "Beter slapen"}]
    assert [a["valueString"] for a in answers["talk-topics"]] == ["Uw lichaam", "Uw gevoel"]
    assert len(answers) == 9
    assert console_errors == []


def _paths(live_server) -> list[str]:
    offer_id = new_offer(live_server, "browser-axe", key="phq-9")
    return [
        "/questionnaires/",
        f"/questionnaires/{offer_id}/pages/1",
        f"/questionnaires/{offer_id}/pages/2",
        f"/questionnaires/{offer_id}/summary",
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", ["normal", "large-text", "high-contrast", "simplified"])
def test_every_questionnaire_page_is_accessible(pages, live_server, mode, language, console_errors):
    pages.sign_in(PATIENT_EMAIL)
    try:
        pages.choose_display(mode, language)
        for path in _paths(live_server):
            pages.open(path)
            pages.assert_accessible(f"{mode} {language} {path}")
        # and a page with its error messages
        pages.open(_paths(live_server)[1])
        pages.page.locator("button[name=action][value=next]").click()  # htmx shows the messages in place
        pages.page.locator(".error-summary").wait_for()
        assert pages.page.evaluate("document.activeElement.classList.contains('error-summary')")
        pages.assert_accessible(f"{mode} {language} errors")
    finally:
        pages.choose_display("normal", "nl")
    assert [e for e in console_errors if "status of 400" not in e] == []  # the form with errors answers 400
