"""A patient works through decision aids; the clinician prepares the consultation and prints it."""

from __future__ import annotations

import re

import pytest

from pgo.decisions.demo import OWN_QUESTIONS
from pgo.demo import CLINICIAN_EMAIL, PATIENT_EMAIL

pytestmark = pytest.mark.browser

STEP_URL = re.compile(r"/decisions/responses/(\d+)/steps/(\d+)")


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def start_aid(page, title_part: str) -> None:
    """Start (or continue) the aid whose title matches ``title_part`` from the list of decision aids."""
    page.set_default_timeout(10000)
    entry = page.locator(".aid-entry").filter(has=page.get_by_role("heading", name=re.compile(title_part)))
    entry.get_by_role("button").first.click()
    page.wait_for_load_state()


def answer_every_group(page, pick) -> None:
    """In each question group of the step, check one radio (``pick`` chooses its index from the count)."""
    groups = page.locator("form.decision-step fieldset")
    for i in range(groups.count()):
        radios = groups.nth(i).get_by_role("radio")
        radios.nth(pick(radios.count())).check()


def save(page, name="Opslaan en verder") -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_patient_completes_an_aid_in_dutch(pages, console_errors):
    page = pages.page
    # Given Anna, signed in, on her list of decision aids
    pages.sign_in(PATIENT_EMAIL)
    pages.open("/decisions/")
    # Then the aid Dr. Jansen offered comes first, and every aid is marked as example content
    main = page.get_by_role("main")
    assert main.get_by_role("heading", level=2).first.inner_text() == "Van uw zorgteam"
    assert "Dr. Jansen vraagt u" in main.locator(".aid-entry").first.inner_text()
    assert main.get_by_text("Voorbeeldinhoud").count() == 3
    # When she starts the knee aid and answers each step
    start_aid(page, "nie")
    assert page.get_by_text("Stap 1 van 7").is_visible()
    assert page.get_by_role("table").is_visible()  # the options side by side
    # And on a 320 px wide screen the grid stacks: no sideways scrolling
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size(size)
    save(page)
    assert page.get_by_text("Stap 2 van 7").is_visible()
    answer_every_group(page, lambda n: n - 1)
    save(page)
    assert page.locator("svg.people-grid").first.get_attribute("aria-label").count("van de 100 mensen") == 1
    save(page)
    answer_every_group(page, lambda n: 0)
    save(page, "Mijn antwoorden nakijken")
    # Then she reads an explanation for each answer before going on (no score to pass)
    assert page.locator(".explanation").count() == page.locator("form.decision-step fieldset").count()
    page.get_by_role("link", name="Volgende stap").click()
    answer_every_group(page, lambda n: 0)  # SURE: yes to all
    save(page)
    assert heading(page) == "Mijn voorkeur"
    page.get_by_role("radio").first.check()
    save(page)
    page.get_by_label("Mijn eigen vragen").fill("Hoe lang duurt het herstel?")
    save(page)
    # Then the summary shows her answers, and she finishes
    assert heading(page) == "Mijn antwoorden"
    assert page.get_by_text("Hoe lang duurt het herstel?").is_visible()
    page.get_by_role("button", name="Afronden").click()
    assert "U hebt de keuzehulp afgerond." in page.get_by_role("status").inner_text()
    assert console_errors == []


def test_patient_stops_halfway_and_resumes_in_the_simplified_view(pages, console_errors):
    page = pages.page
    # Given Anna uses the simplified view
    pages.sign_in(PATIENT_EMAIL)
    try:
        pages.choose_display("simplified", "nl")
        pages.open("/decisions/")
        start_aid(page, "iabetes")
        # Then the options come one at a time
        assert page.get_by_text("Keuze 1 van").is_visible()
        assert page.get_by_role("table").count() == 0
        page.get_by_role("link", name="Volgende keuze").click()
        assert page.get_by_text("Keuze 2 van").is_visible()
        save(page)
        answer_every_group(page, lambda n: 2)
        save(page)
        # When she stops at step 3
        save(page, "Stoppen en later verdergaan")
        assert heading(page) == "Keuzehulpen"
        assert "stap 3 van 7" in page.get_by_role("main").inner_text()
        # Then she continues later at the same step
        start_aid(page, "iabetes")
        assert page.get_by_text("Stap 3 van 7").is_visible()
        page.get_by_role("link", name="Terug naar stap 2").click()
        assert page.locator("input[type=radio]:checked").count() == page.locator("fieldset").count()
    finally:
        pages.choose_display("normal", "nl")
    assert console_errors == []


def test_clinician_prepares_the_consultation_and_prints_it(pages, console_errors):
    page = pages.page
    # Given Dr. Jansen on her list of patients
    pages.sign_in(CLINICIAN_EMAIL)
    page.get_by_role("link", name="Mijn patiënten").first.click()
    assert heading(page) == "Mijn patiënten"
    # When she opens the preparation for Anna
    page.get_by_role("link", name=re.compile("Consult voorbereiden.*Anna de Vries")).click()
    assert heading(page) == "Voorbereiding consult: Anna de Vries"
    # Then she sees exactly Anna's answers: not sure (SURE 2 of 4, flagged in words) and her two questions
    assert "Score 2 van 4." in page.locator("#prep-sure").inner_text()
    assert "Keuzeconflict" in page.locator("#prep-sure").inner_text()
    own = page.locator("#prep-questions li.own-question").all_inner_texts()
    assert own == OWN_QUESTIONS
    assert page.locator("#prep-preference").inner_text() == "Nog niet beantwoord"
    sections = [
        "De vraag die voorligt",
        "Wat is er veranderd",
        "Metingen (laatste 30 dagen)",
        "Medicijnen, uitslagen en problemen",
    ]
    # And the printed page keeps every section and the questions
    page.emulate_media(media="print")
    for name in sections:
        assert page.get_by_role("heading", name=name).is_visible()
    for question in OWN_QUESTIONS:
        assert page.get_by_text(question).is_visible()
    assert not page.locator(".site-header").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    page.emulate_media(media="screen")
    assert console_errors == []


def _patient_pages(pages) -> list[str]:
    pages.open("/decisions/")
    start_aid(pages.page, "bloeddruk|blood pressure")
    response_id = STEP_URL.search(pages.page.url).group(1)
    steps = [f"/decisions/responses/{response_id}/steps/{n}" for n in range(1, 8)]
    return ["/decisions/", *steps, f"/decisions/responses/{response_id}/summary"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", ["normal", "large-text", "high-contrast", "simplified"])
def test_every_decision_and_clinic_page_is_accessible(pages, mode, language, console_errors):
    for email in (PATIENT_EMAIL, CLINICIAN_EMAIL):
        pages.sign_in(email)
        try:
            pages.choose_display(mode, language)
            if email == PATIENT_EMAIL:
                paths = _patient_pages(pages)
            else:
                pages.open("/clinic/")
                href = pages.page.locator("a[href$='/preparation']").first.get_attribute("href")
                patient = href.split("/")[3]
                paths = [
                    "/clinic/",
                    href,
                    f"/clinic/patients/{patient}/offer",
                    f"/clinic/patients/{patient}/decisions/high-blood-pressure",
                ]
            for path in paths:
                pages.open(path)
                pages.assert_accessible(f"{mode} {language} {path}")
        finally:
            pages.choose_display("normal", "nl")
            pages.page.get_by_role("button", name=re.compile("Uitloggen|Sign out")).click()
    assert console_errors == []
