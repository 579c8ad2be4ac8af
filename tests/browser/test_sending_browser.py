"""Two-way with the care provider (#20): Anna answers her provider's questionnaire and sends it back; her home
measurements arrive at the provider once each, also after a failure and a retry, and nothing goes without her
permission. The sandbox provider says what arrived."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import requests
from browser_pages import Pages
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.STU3.observation import Observation as ObservationSTU3
from helpers import MODES
from live import demo_app, serving
from sqlmodel import Session, select

from pgo.accounts.models import User
from pgo.demo import PATIENT_EMAIL
from pgo.localtime import day_start_utc
from pgo.measurements.sending import readings
from pgo.questionnaires import store
from pgo.questionnaires.models import QuestionnaireOffer
from pgo.questionnaires.response import answers_in, problems_against
from pgo.sandbox import create_sandbox_app

pytestmark = pytest.mark.browser
SENDING = "/records/providers/sandbox/sending"


@pytest.fixture(scope="module")
def two_way(tmp_path_factory):
    app = demo_app(tmp_path_factory.mktemp("sending-live"), "browser-tests-sending")
    with serving(app) as pgo_url:
        sandbox = create_sandbox_app(
            {"SANDBOX_REDIRECT_URIS": [f"{pgo_url}/records/providers/callback"], "SANDBOX_TEST_CONTROLS": True}
        )
        with serving(sandbox) as sandbox_url:
            app.config["PGO_SANDBOX_URL"] = sandbox_url
            yield {"url": pgo_url, "app": app, "sandbox": sandbox_url}
    app.extensions["pgo_engine"].dispose()


@pytest.fixture
def here(page, two_way):
    requests.delete(f"{two_way['sandbox']}/_sandbox/received", timeout=5).raise_for_status()
    return Pages(page, two_way["url"])


def received(two_way, user: str) -> list[dict]:
    answer = requests.get(f"{two_way['sandbox']}/_sandbox/received", params={"user": user}, timeout=5)
    return answer.json()["received"]


def behave(two_way, failure: str) -> None:
    requests.post(f"{two_way['sandbox']}/_sandbox/behaviour", data={"failure": failure}, timeout=5).raise_for_status()


def connect_as(here: Pages, username: str) -> None:
    page = here.page
    here.open("/records/providers")
    link = page.get_by_role("link", name=re.compile("Zorgaanbieder Sandbox koppelen|Opnieuw koppelen"))
    link.first.click()
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("sandbox")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Toestaan").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Gegevens van Zorgaanbieder Sandbox"


def press(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def allow(here: Pages, *labels: str) -> None:
    here.open(SENDING)
    for label in ("Mijn metingen van thuis", "Mijn antwoorden op hun vragenlijsten", "Mijn antwoorden in keuzehulpen"):
        box = here.page.get_by_label(label)
        box.check() if label in labels else box.uncheck()
    press(here.page, "Mijn keuzes bewaren")
    assert "zijn bewaard" in here.page.get_by_role("main").inner_text()


def sandbox_offer(two_way) -> QuestionnaireOffer:
    with Session(two_way["app"].extensions["pgo_engine"]) as session:
        query = select(QuestionnaireOffer).where(
            QuestionnaireOffer.source == "sandbox", QuestionnaireOffer.task_id == "vragenlijst-how-are-you"
        )
        return session.exec(query).one()


def test_anna_answers_her_providers_questionnaire_and_sends_it_back(here, two_way, console_errors):
    page = here.page
    page.set_default_timeout(10000)
    # Given Anna, signed in, connects the sandbox (as Jo, R4): her provider's questionnaires come along
    here.sign_in(PATIENT_EMAIL)
    connect_as(here, "jo")
    offer_id = sandbox_offer(two_way).id
    try:
        here.choose_display("simplified", "nl")
        # When she opens her to-do list, the questionnaire from her provider is there
        here.open("/questionnaires/")
        entry = page.locator(".todo-entry").filter(has=page.locator(f"a[href$='/questionnaires/{offer_id}']"))
        assert "Zorgaanbieder Sandbox vraagt u dit in te vullen." in entry.inner_text()
        with page.expect_navigation():
            entry.get_by_role("link", name=re.compile("Beginnen|Starten|Start")).click()
        # Then one question per screen, with read-aloud that answers with sound
        read_aloud = page.locator(".q-question").get_by_role("link", name="Voorlezen")
        assert page.request.get(here.base_url + read_aloud.get_attribute("href")).status == 200
        page.get_by_label("Niet zo goed").check()
        press(page, "Opslaan en verder")
        page.get_by_label(re.compile("Wat zou u graag anders willen")).fill("Beter slapen")
        press(page, "Opslaan en verder")
        page.get_by_label("Goed", exact=True).check()
        # When she stops, and later goes on where she was
        press(page, "Stoppen en later verdergaan")
        with page.expect_navigation():
            entry.get_by_role("link", name=re.compile("Verder|Continue")).click()
        assert page.get_by_label("Goed", exact=True).is_checked()
        press(page, "Opslaan en verder")
        for _ in range(4):
            page.get_by_label("Goed", exact=True).check()
            press(page, "Opslaan en verder")
        page.get_by_label("Ja").check()
        press(page, "Opslaan en antwoorden nakijken")
        press(page, "Opslaan en verder")
        page.get_by_label("Uw lichaam").check()
        press(page, "Opslaan en antwoorden nakijken")
        press(page, "Afronden")
    finally:
        here.choose_display("normal", "nl")
    assert received(two_way, "jo") == []  # finished is not sent: she has not allowed it yet
    # When she allows pgo to send questionnaire answers and sends them
    allow(here, "Mijn antwoorden op hun vragenlijsten")
    page.locator("form", has=page.locator("input[name=what][value=questionnaire]")).get_by_role("button").click()
    page.wait_for_load_state()
    main = page.get_by_role("main").inner_text()
    assert "Verstuurd naar Zorgaanbieder Sandbox: 1." in main and "Hoe gaat het met u?" in main
    # Then the sandbox holds one QuestionnaireResponse that fits its Questionnaire with every answer
    (arrived,) = received(two_way, "jo")
    QuestionnaireResponse.model_validate(arrived)
    offer = sandbox_offer(two_way)
    assert offer.status == "sent" and problems_against(store.questionnaire_of(offer), arrived) == []
    assert answers_in(arrived) == answers_in(offer.response)
    assert answers_in(arrived)["body-change"] == [{"valueString": "Beter slapen"}]
    assert console_errors == []


def test_measurements_arrive_once_each_after_a_failure_and_only_with_permission(here, two_way, console_errors):
    page = here.page
    page.set_default_timeout(10000)
    here.sign_in(PATIENT_EMAIL)
    connect_as(here, "johan")
    # Without her permission there is nothing to send with
    here.open(SENDING)
    assert page.get_by_label("Van", exact=True).count() == 0
    assert "Eerst toestemming" in page.get_by_role("main").inner_text()
    # Given she allows her home measurements, and the provider cannot take them right now
    allow(here, "Mijn metingen van thuis")
    start, end = date.today() - timedelta(days=2), date.today()
    with Session(two_way["app"].extensions["pgo_engine"]) as session:
        anna = session.exec(select(User).where(User.email == PATIENT_EMAIL)).one()
        span = {"start": day_start_utc(start), "end": day_start_utc(end + timedelta(days=1))}
        expected = {m.id for m in readings(session=session, user_id=anna.id, **span)}
    assert expected
    behave(two_way, "refuse-writes")
    page.get_by_label("Van", exact=True).fill(start.isoformat())
    page.get_by_label("Tot en met").fill(end.isoformat())
    press(page, "De metingen van deze periode versturen")
    # Then nothing arrived, and the page says they wait and why
    assert received(two_way, "johan") == []
    assert "Nog niet verstuurd" in page.get_by_role("main").inner_text()
    # When the provider is back and she tries again (twice: a double click)
    behave(two_way, "")
    press(page, "Nu opnieuw proberen")
    press(page, "Nu opnieuw proberen")
    # Then each reading arrived once, as a self-measurement with LOINC and UCUM
    arrived = received(two_way, "johan")
    assert len(arrived) == len(expected)
    assert len({a["identifier"][0]["value"] for a in arrived}) == len(arrived)
    for resource in arrived:
        ObservationSTU3.model_validate(resource)
        assert resource["code"]["coding"][0]["system"] == "http://loinc.org"
        quantities = [c["valueQuantity"] for c in resource.get("component", [])] or [resource["valueQuantity"]]
        assert all(q["system"] == "http://unitsofmeasure.org" for q in quantities)
    assert "Verstuurd naar Zorgaanbieder Sandbox." in page.get_by_role("main").inner_text()
    # And when she takes her permission back, nothing more goes
    allow(here)
    behave(two_way, "")
    assert len(received(two_way, "johan")) == len(expected)
    assert console_errors == []


@pytest.mark.parametrize("mode", list(MODES))
def test_the_sending_page_is_accessible(here, mode, console_errors):
    here.sign_in(PATIENT_EMAIL)
    allow(here, "Mijn metingen van thuis", "Mijn antwoorden in keuzehulpen")
    for language in ("nl", "en"):
        here.choose_display(mode, language)
        here.open(SENDING)
        here.assert_accessible(f"{SENDING} {mode} {language}")
        # with its error messages
        here.page.locator("input[name=start]").fill("")
        here.page.locator("form", has=here.page.locator("input[value=period]")).get_by_role("button").click()
        here.page.wait_for_load_state()
        assert here.page.locator(".error-summary").count() == 1
        here.assert_accessible(f"{SENDING} errors {mode} {language}")
    here.choose_display("normal", "nl")
    assert [e for e in console_errors if "status of 400" not in e] == []
