"""The demo patient reads her records, with explanations at her level, in Dutch and English, in every display mode."""

from __future__ import annotations

import pytest
from browser_pages import Pages
from helpers import MODES

from pgo.demo import PATIENT_EMAIL

pytestmark = pytest.mark.browser

RECORD_PAGES = [
    "/records",
    "/records/results",
    "/records/medication",
    "/records/problems",
    "/records/allergies",
    "/records/vaccinations",
    "/records/procedures",
    "/records/visits",
    "/records/documents",
]
# axe takes 4-12 s a record page on these machines: every page in Dutch, the main pages in English, every mode
ENHANCED_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}, "resultTypes": ["violations"]}


def main_text(pages: Pages) -> str:
    return pages.page.get_by_role("main").inner_text()


def test_the_demo_patient_finds_her_records_on_the_right_pages(pages, console_errors):
    page = pages.page
    # Given Anna is signed in, in Dutch
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    # When she opens her records from the menu
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn gegevens", exact=True).click()
    # Then the overview says what needs attention, in words and with a shape
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn gegevens"
    assert "Hoger dan de referentiewaarde" in main_text(pages)
    assert page.locator("main .flag-high svg.icon-arrow-up").count() >= 1
    # And each page holds its own records, with where they came from
    pages.open("/records/results")
    assert "138 mmol/l" in main_text(pages) and "Ziekenhuis Rijnzicht" in main_text(pages)
    # the normal range is behind the card's disclosure, with the explanation (#18)
    natrium = page.locator("main article.record").filter(has_text="Natrium").first
    natrium.locator("details.record-more > summary").click()
    assert "136 – 146 mmol/l" in natrium.inner_text()
    pages.open("/records/medication")
    assert "Metoclopramide zetpil 20mg" in main_text(pages)
    assert "1 zetpil, 1 keer per dag" in main_text(pages)
    pages.open("/records/allergies")
    assert "bijengif" in main_text(pages).lower()  # the catalogue's Dutch title, not the English display (#16)
    pages.open("/records/vaccinations")
    assert "Griepprik" in main_text(pages) or "Influenza" in main_text(pages)  # the catalogue's title (#16)
    pages.open("/records/documents")
    assert "Kopie van ontslagbrief" in main_text(pages)
    # When she opens the discharge letter, the PDF comes
    href = page.get_by_role("link", name="Document openen").get_attribute("href")
    document = page.request.get(pages.base_url + href)
    assert document.status == 200 and document.headers["content-type"] == "application/pdf"
    assert document.body()[:4] == b"%PDF"
    # And in English the same pages speak English
    pages.choose_display("normal", "en")
    pages.open("/records/results")
    assert page.get_by_role("heading", level=1).inner_text() == "Results"
    page.locator("main details.record-more > summary").first.click()
    assert "What does this mean for you?" in main_text(pages)
    pages.open("/records/medication")
    assert "You use this now" in main_text(pages)
    pages.choose_display("normal", "nl")
    assert console_errors == []


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_every_record_page_is_accessible(pages, mode, language, console_errors):
    from axe_playwright_python.sync_playwright import Axe

    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, language)
    for path in [*RECORD_PAGES, "/reading-level"]:
        pages.open(path)
        pages.assert_accessible(f"{path} [{mode}, {language}]")
        if mode == "high-contrast":
            results = Axe().run(pages.page, options=ENHANCED_CONTRAST)
            assert results.violations_count == 0, f"{path}: {results.generate_report()}"
    pages.choose_display("normal", "nl")
    assert console_errors == []


def test_record_pages_reflow_at_320_pixels_and_have_large_targets_in_the_simplified_view(pages):
    page = pages.page
    page.set_viewport_size({"width": 320, "height": 640})
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("simplified", "nl")
    for path in RECORD_PAGES:
        pages.open(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        small = page.evaluate(
            """() => [...document.querySelectorAll('main a, main button, main summary')]
                .filter(el => el.offsetParent !== null)
                .map(el => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect()])
                .filter(([, r]) => r.width < 44 || r.height < 44)
                .map(([text, r]) => `${text} ${Math.round(r.width)}x${Math.round(r.height)}`)"""
        )
        assert small == [], f"{path}: targets under 44px: {small}"
    pages.choose_display("large-text", "nl")
    for path in RECORD_PAGES:
        pages.open(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px (large text)"
    pages.choose_display("normal", "nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_read_aloud_gives_audio(pages, language):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", language)
    pages.open("/records/results")
    for link in (page.locator("#page-summary a.read-aloud"), page.locator(".explanation a.read-aloud").first):
        url = link.get_attribute("href")
        head, size = page.evaluate(
            """async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());
                return [String.fromCharCode(...b.slice(0, 4)) + String.fromCharCode(...b.slice(8, 12)), b.length]; }""",
            url,
        )
        assert head == "RIFFWAVE" and size > 20000
    # Headless Chromium has no voices: pressing the button plays the server's audio in place
    page.locator("main details.record-more > summary").first.click()
    page.locator(".explanation a.read-aloud").first.click()
    assert page.locator("audio.read-aloud-player").count() == 1
    pages.choose_display("normal", "nl")


def _first_explanation_text(page) -> str:
    return page.locator("#main .explanation .speak").first.inner_text()


def _first_result_page(pages) -> str:
    """One result's own page: the page where its explanation has its own level switch (a list has one for the page)."""
    pages.open("/records/results")
    return pages.page.locator("main article.record details.record-more a[href*='/records/item/']").first.get_attribute(
        "href"
    )


def test_switching_the_level_in_place_with_javascript(pages, console_errors):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    pages.open(_first_result_page(pages))
    assert page.evaluate("typeof window.htmx") == "undefined"  # a records page loads htmx when first needed
    explanation = page.locator("#main .explanation").first
    before = explanation.locator(".speak").first.inner_text()
    url = page.url
    # When she asks for the detailed explanation of the first result
    explanation.get_by_role("link", name="uitgebreid").click()
    # Then only that explanation changes, without leaving the page
    page.wait_for_function("(b) => document.querySelector('#main .explanation .speak').innerText !== b", arg=before)
    assert page.url == url
    assert (
        page.locator("#main .explanation").first.get_by_role("link", name="uitgebreid").get_attribute("aria-current")
        == "true"
    )
    # And focus moves to the new explanation's title, so a screen reader reads on from there
    page.wait_for_function("() => document.activeElement.matches('[data-focus-after-swap]')")
    assert page.evaluate("document.activeElement.closest('.explanation') === document.querySelector('.explanation')")
    assert console_errors == []


def test_switching_the_level_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    pages = Pages(page, base_url)
    pages.sign_in(PATIENT_EMAIL)
    pages.open(_first_result_page(pages))
    before = _first_explanation_text(page)
    page.locator("#main .explanation").first.get_by_role("link", name="uitgebreid").click()
    page.wait_for_load_state()
    assert "level=detailed" in page.url
    assert _first_explanation_text(page) != before
    context.close()
