"""'My health on one page' (issue #21): the demo patient prints her summary and takes it along."""

from __future__ import annotations

import io

import pytest
from browser_pages import Pages
from helpers import MODES
from pypdf import PdfReader

from pgo.demo import PATIENT_EMAIL

pytestmark = pytest.mark.browser


def printed_pages(page) -> tuple[int, str]:
    """The page as Chromium prints it on A4: the number of pages and the printed text."""
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))
    page.emulate_media(media="screen")
    return len(pdf.pages), " ".join(p.extract_text() for p in pdf.pages)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_the_summary_page_is_accessible_in_every_mode(pages, language, mode, console_errors):
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, language)
    for query in ("", "?wording=clinical&lang=en" if language == "nl" else "?wording=clinical&lang=nl"):
        pages.open("/summary" + query)
        pages.assert_accessible(f"/summary{query} ({mode}, {language})")
    assert console_errors == []


@pytest.mark.parametrize("mode", ["normal", "large-text"])
@pytest.mark.parametrize("query", ["", "?lang=en", "?wording=clinical", "?lang=en&wording=clinical"])
def test_the_summary_prints_on_at_most_two_a4_pages(pages, query, mode):
    # Given Anna, with a note for the doctor, in her display mode
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, "nl")
    pages.open("/summary")
    pages.page.get_by_role("textbox", name="Mijn notities voor de dokter").fill(
        "Ik slik mijn plaspil 's ochtends. Ik ben bang voor prikken. Mijn dochter Eva helpt mij met mijn medicijnen."
    )
    with pages.page.expect_navigation():
        pages.page.get_by_role("button", name="Mijn notities bewaren").click()
    # When she prints the summary
    pages.open("/summary" + query)
    count, text = printed_pages(pages.page)
    # Then it fits on one or two A4 pages, with what a doctor needs and without the page's controls
    assert 1 <= count <= 2, f"{query} ({mode}) printed on {count} pages"
    assert "Metoclopramide" in text and "Eva helpt mij" in text
    assert "Mijn notities bewaren" not in text and "Hoofdmenu" not in text
    pages.page.get_by_role("textbox", name="Mijn notities voor de dokter").fill("")
    with pages.page.expect_navigation():
        pages.page.get_by_role("button", name="Mijn notities bewaren").click()


def test_anna_switches_to_the_english_doctors_wording(pages):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn gezondheid op één pagina").click()
    page.get_by_label("English").check()
    page.get_by_label("In de woorden van een dokter").check()
    page.get_by_role("button", name="Tonen").click()
    summary = page.locator("article.health-summary")
    assert summary.get_attribute("lang") == "en"
    assert "Hypertension" in summary.inner_text() and "SNOMED CT 38341003" in summary.inner_text()


def _make_link(pages, code: str = "") -> str:
    page = pages.page
    pages.open("/summary/share")
    page.get_by_label("Voor wie is de link? (mag leeg blijven)").fill("Dokter Smit")
    if code:
        page.get_by_label("Code om in te typen (mag leeg blijven)").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Link maken").click()
    return page.locator(".share-url a").get_attribute("href")


@pytest.mark.parametrize("mode", list(MODES))
def test_anna_shares_a_link_and_a_doctor_opens_it_without_an_account(pages, browser, base_url, mode):
    # Given Anna, in her display mode, makes a link with a code
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, "nl")
    url = _make_link(pages, code="7391")
    # Then she sees the link once, with a QR code, and the page is accessible
    assert pages.page.get_by_role("img", name="QR-code van de link").is_visible()
    pages.assert_accessible(f"share page with a new link ({mode})")
    # When a doctor opens the link in another browser and types the code
    doctor = browser.new_context(locale="en-GB")
    visitor = Pages(doctor.new_page(), base_url)
    visitor.open(url.removeprefix(base_url))
    visitor.assert_accessible(f"code page ({mode})")
    visitor.page.get_by_label("Code").fill("0000")
    visitor.page.get_by_role("button").last.click()
    assert "Hoge bloeddruk" not in visitor.page.content()
    visitor.page.get_by_label("Code").fill("7391")
    visitor.page.get_by_role("button").last.click()
    # Then the summary shows, accessible, and Anna sees it was opened
    assert "Hoge bloeddruk" in visitor.page.locator("article.health-summary").inner_text()
    visitor.assert_accessible(f"shared summary ({mode})")
    pages.open("/summary/share")
    assert "1 keer geopend" in pages.page.get_by_role("main").inner_text()
    pages.assert_accessible(f"share page with a link ({mode})")
    # When she stops the link, the doctor gets a kind page without her data
    pages.page.get_by_role("button", name="Deze link stoppen").first.click()
    visitor.open(url.removeprefix(base_url))
    assert "Hoge bloeddruk" not in visitor.page.content()
    visitor.assert_accessible(f"stopped link ({mode})")
    doctor.close()


def test_the_secondary_link_buttons_are_readable(pages):
    """A secondary button that is a link (download, share, print) had white text on its white background: the
    primary button's colour won (2026-12-03). axe reported nothing, so the colours are compared here."""
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("normal", "nl")
    pages.open("/summary")
    link = pages.page.get_by_role("link", name="Delen met een link")
    color, background = link.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert color != background, (color, background)


def test_no_horizontal_scrolling_at_320_pixels_with_the_largest_text(pages, browser, base_url):
    pages.page.set_viewport_size({"width": 320, "height": 640})
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("large-text", "nl")
    url = _make_link(pages)  # the page with a new link: its long address and the QR code
    shown = {"/summary/share (new link)": pages.page}
    for path in ("/summary", "/summary?lang=en&wording=clinical"):
        other = pages.page.context.new_page()
        other.set_viewport_size({"width": 320, "height": 640})
        other.goto(base_url + path)
        shown[path] = other
    visitor = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    visitor.goto(url)
    shown["shared link"] = visitor
    for where, page in shown.items():
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{where} scrolls sideways by {overflow}px at 320px"
    visitor.context.close()
