"""The demo patient reads every BgZ section (#20 part 2): alerts and her wishes about treatment first on the overview,
each section on its own page with its explanation, accessible in Dutch and English and in every display mode."""

from __future__ import annotations

import pytest
from helpers import MODES
from walk_pages import BGZ_PAGES

from pgo.demo import PATIENT_EMAIL

pytestmark = pytest.mark.browser


def main_text(pages) -> str:
    return pages.page.get_by_role("main").inner_text()


def test_the_patient_finds_her_alerts_and_wishes_first_and_every_section_from_the_menu(pages, console_errors):
    page = pages.page
    # Given Anna is signed in, in Dutch
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    # When she opens her records
    pages.open("/records")
    # Then what everyone who treats her must know comes first: her alerts and her wishes about treatment
    important = page.get_by_role("region", name="Belangrijk om te weten")
    assert "Draagt een pacemaker" in important.inner_text() and "Reanimatie" in important.inner_text()
    # When she follows the link to all her wishes about treatment
    important.get_by_role("link", name="Al uw wensen over behandeling").click()
    # Then the page explains what they are and shows her decision in words
    # the heading hyphenates long words (soft hyphens, #16); read as a person reads it
    assert page.get_by_role("heading", level=1).inner_text().replace("\xad", "") == "Uw wensen over behandeling"
    assert "Nee, deze behandeling wil u niet" in main_text(pages)
    assert "Wat is dit?" in main_text(pages)
    # And from the records menu she reaches every other part of her records
    page.get_by_role("navigation", name="Delen van mijn gegevens").get_by_role("link", name="Meer over uw zorg").click()
    page.get_by_role("link", name="Afspraken").click()
    assert "Controle orthopedie" in main_text(pages) and "Afspraken die nog komen" in main_text(pages)
    assert console_errors == []


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_every_section_page_is_accessible(pages, mode, language, console_errors):
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, language)
    for path in ["/records", *BGZ_PAGES]:
        pages.open(path)
        pages.assert_accessible(f"{path} [{mode}, {language}]")
    pages.choose_display("normal", "nl")
    assert console_errors == []


def test_section_pages_reflow_at_320_pixels_with_large_targets_in_the_simplified_view(pages):
    page = pages.page
    page.set_viewport_size({"width": 320, "height": 640})
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("simplified", "nl")
    for path in ["/records", *BGZ_PAGES]:
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
    pages.choose_display("normal", "nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_sections_explanation_is_read_aloud(pages, language):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", language)
    pages.open("/records/directives")
    link = page.locator(".section-intro a.read-aloud")
    head, size = page.evaluate(
        """async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());
            return [String.fromCharCode(...b.slice(0, 4)) + String.fromCharCode(...b.slice(8, 12)), b.length]; }""",
        link.get_attribute("href"),
    )
    assert head == "RIFFWAVE" and size > 20000
    # Headless Chromium has no voices: pressing the button plays the server's audio in place
    link.click()
    assert page.locator("audio.read-aloud-player").count() == 1
    pages.choose_display("normal", "nl")
