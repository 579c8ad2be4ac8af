"""Record pages a person can get through (#18 item 2): on a phone, by keyboard and with a screen reader.

Each result shows its essentials (name, value and flag, date, source); its explanation opens on request, without
JavaScript; the reading level is chosen once for the page; every repeated control names its item."""

from __future__ import annotations

import re

import pytest
from browser_pages import Pages

from pgo.demo import PATIENT_EMAIL

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MAX_SCREENS = 8
MAX_TAB_STOPS = 40

# Tab until focus is in the last result card or past it; the number of presses that took.
TAB_TO_LAST = """(last) => {
  const inOrAfter = (el) => el && el !== document.body && (last.contains(el) ||
    (last.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
  return inOrAfter(document.activeElement);
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def tab_stops_to(page, target) -> int:
    page.locator("body").focus()
    page.evaluate("window.scrollTo(0, 0); document.activeElement.blur()")
    for presses in range(1, 400):
        page.keyboard.press("Tab")
        if target.evaluate(TAB_TO_LAST):
            return presses
    raise AssertionError("the last result cannot be reached by keyboard")


def test_the_results_page_fits_in_a_few_phone_screens_and_tab_stops(pages, console_errors):
    page = pages.page
    # Given the demo patient on a phone, in the default view
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    # When she opens her results
    pages.open("/records/results")
    cards = page.locator("main article.record")
    assert cards.count() >= 10
    # Then the page is less than eight phone screens long
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < MAX_SCREENS * PHONE["height"], f"{height}px: {height / PHONE['height']:.1f} screens"
    # And the last result is less than forty Tab presses away
    presses = tab_stops_to(page, cards.last)
    print(f"results page: {height}px ({height / PHONE['height']:.1f} screens), {presses} Tab stops to the last result")
    assert presses < MAX_TAB_STOPS, f"{presses} Tab stops before the last result"
    assert console_errors == []


def test_each_result_shows_its_essentials_and_opens_its_explanation_on_request(pages):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    pages.open("/records/results")
    card = page.locator("main article.record").filter(has_text="Natrium").first
    # The essentials, without opening anything: name, value and flag, date, source
    text = card.inner_text()
    assert "Natrium" in text and "138 mmol/l" in text and "Ziekenhuis Rijnzicht" in text
    explanation = card.locator(".explanation .speak").first
    assert not explanation.is_visible()
    # The explanation opens on request, and its control names the item for a screen reader
    card.locator("details.record-more > summary").click()
    assert explanation.is_visible()
    assert card.get_by_role("link", name=re.compile(r"^Voorlezen\s*: Natrium$")).is_visible()
    # No card has its own level switch: the level is chosen once for the page
    assert page.locator("main article.record .level-switch").count() == 0
    assert page.get_by_role("navigation", name="Niveau van de uitleg").count() == 1


def test_repeated_controls_name_their_item(pages):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    for path in ("/records/results", "/records/medication", "/records", "/records/problems", "/records/documents"):
        pages.open(path)
        # Every control on a card says which record it is about (the words of a difficult word's definition and
        # the links to a source's website are the same wherever they appear)
        unnamed = page.locator("main article.record").evaluate_all(
            """cards => cards.flatMap(card => {
                 // the title's soft hyphens (#16) are not read out: a control names the word without them
                 const title = card.querySelector('.record-title').textContent.replace(/\u00ad/g, '').trim();
                 return [...card.querySelectorAll('a, button, summary')]
                   .filter(el => !el.closest('.jargon-term, .sources ul'))
                   .map(el => el.textContent.replace(/\\s+/g, ' ').trim())
                   .filter(name => !name.includes(title)).map(name => `${title}: "${name}"`); })"""
        )
        assert unnamed == [], f"{path}: controls that do not name their record: {sorted(set(unnamed))[:8]}"


def test_the_page_level_applies_to_every_explanation_and_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    pages = Pages(page, base_url)
    pages.sign_in(PATIENT_EMAIL)
    pages.open("/records/results")
    first = page.locator("main article.record details.record-more").first
    first.locator("summary").first.click()
    assert first.locator(".explanation .speak").first.is_visible()
    before = first.locator(".explanation .speak").first.inner_text()
    page.get_by_role("navigation", name="Niveau van de uitleg").get_by_role("link", name="uitgebreid").click()
    page.wait_for_load_state()
    assert "level=detailed" in page.url
    first = page.locator("main article.record details.record-more").first
    assert first.locator(".explanation .speak").first.text_content() != before
    context.close()
