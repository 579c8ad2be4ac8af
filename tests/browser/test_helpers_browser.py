"""A helper (#21): Anna invites her neighbour, who makes an account, acts for her within the scope, is refused outside
it, and loses access on the next page once Anna stops it; Anna's access log tells every step in plain words."""

from __future__ import annotations

import re

import pytest
from browser_pages import Pages
from helpers import MODES
from test_measurements_browser import enter_blood_pressure

from pgo.demo import DEMO_PASSWORD, PATIENT_EMAIL

pytestmark = pytest.mark.browser


def invite(pages: Pages, email: str, *, enter: bool, parts: list[str]) -> str:
    """Anna makes an invitation on "Mijn helpers"; the link the page shows once."""
    page = pages.page
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn helpers").click()
    page.get_by_label("E-mailadres van uw helper").fill(email)
    if enter:
        page.get_by_label(re.compile("^Kijken, en ook metingen invoeren")).check()
    for part in parts:
        page.get_by_role("group", name="Welke delen van uw gegevens?").get_by_label(part, exact=True).check()
    page.get_by_role("button", name="Uitnodiging maken").click()
    page.wait_for_load_state()
    region = page.get_by_role("region", name="Geef deze link aan uw helper")
    return region.get_by_role("link").get_attribute("href")


def test_a_helper_acts_for_anna_within_the_scope_and_loses_access_on_revoke(pages, browser, base_url,
                                                                            console_errors):  # fmt: skip
    page = pages.page
    # Given Anna, signed in, invites her neighbour to look at and enter her measurements
    pages.sign_in(PATIENT_EMAIL)
    link = invite(pages, "buurman@example.nl", enter=True, parts=["Metingen"])
    assert "/helpers/invitation/" in link

    # When the neighbour opens the link in his own browser and makes an account
    other = browser.new_context(locale="nl-NL")
    helper = Pages(other.new_page(), base_url)
    helper.page.goto(link)
    assert helper.page.get_by_role("heading", name="Anna de Vries vraagt u om te helpen").is_visible()
    helper.page.get_by_label("Uw naam").fill("Henk Buurman")
    helper.page.get_by_label("Kies een wachtwoord").fill(DEMO_PASSWORD)
    helper.page.get_by_role("button", name="Account maken en aannemen").click()
    helper.page.wait_for_load_state()
    assert "Gelukt: u kunt nu Anna de Vries helpen." in helper.page.get_by_role("status").inner_text()

    # And chooses to act for Anna: her name stays in view on every page
    helper.page.get_by_role("button", name="Handel voor Anna de Vries").click()
    helper.page.wait_for_load_state()
    banner = helper.page.get_by_role("region", name=re.compile("U handelt voor Anna de Vries"))
    assert banner.is_visible()
    menu = helper.page.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Metingen").is_visible()
    assert menu.get_by_role("link", name="Wie mag mijn gegevens zien").count() == 0

    # Then he enters a blood pressure for her, and the result says who entered it for whom
    menu.get_by_role("link", name="Metingen").click()
    helper.page.get_by_role("link", name="Nu meten").first.click()
    helper.page.wait_for_load_state()
    enter_blood_pressure(helper.page, "131", "84", "Systolisch (mmHg)", "Diastolisch (mmHg)", "Opslaan")
    assert helper.page.get_by_text("Ingevoerd door Henk Buurman voor Anna de Vries.").is_visible()
    assert banner.is_visible()

    # But her records are outside what Anna gave him: refused, with her name kept in view
    response = helper.open("/records")
    assert response.status == 403
    assert helper.page.get_by_role("heading", name="U kunt deze pagina niet openen voor Anna de Vries").is_visible()
    assert helper.open("/consent").status == 403

    # When Anna stops his access
    pages.open("/helpers")
    page.get_by_role("button", name=re.compile("^Toegang stoppen.*Henk Buurman")).click()
    page.wait_for_load_state()
    assert (
        "Gelukt: deze persoon kan vanaf nu niets meer zien of doen voor u." in page.get_by_role("status").inner_text()
    )

    # Then his next page is refused, and he sees his own data again after that
    response = helper.open("/measurements")
    assert response.status == 403
    assert helper.page.get_by_role("heading", name="U kunt niet meer handelen voor deze persoon").is_visible()
    helper.open("/measurements")
    assert helper.page.get_by_role("region", name=re.compile("U handelt voor")).count() == 0
    assert "131/84" not in helper.page.locator("main").inner_text()

    # And Anna's access log tells what her helper did, in plain words
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wie bekeek mijn gegevens").click()
    log = page.locator("main").inner_text()
    assert "Henk Buurman, uw helper, bekeek uw metingen voor u op" in log
    assert "Henk Buurman, uw helper, heeft iets ingevoerd of beantwoord in uw metingen voor u op" in log
    assert "Reden: uw helper deed iets voor u." in log
    other.close()
    assert console_errors == []


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_helper_pages_are_accessible(pages, browser, base_url, console_errors, mode, language):
    page = pages.page
    email = f"helper-{mode}-{language}@example.nl"
    pages.sign_in(PATIENT_EMAIL)
    link = invite(pages, email, enter=False, parts=["Metingen", "Keuzehulpen"])
    pages.choose_display(mode, language)
    pages.open("/helpers")
    pages.assert_accessible(f"/helpers {mode} {language}")
    # the invitation, the acting banner and a refusal, seen by the helper with the same display on a window 320 px
    # wide (400 % zoom)
    other = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 640})
    helper = Pages(other.new_page(), base_url)
    helper.page.goto(link)
    helper.assert_accessible(f"invitation {mode} {language}")
    helper.page.locator("main form").get_by_role("textbox").first.fill("Helper")
    helper.page.locator("main input[type=password]").fill(DEMO_PASSWORD)
    helper.page.locator("main form").get_by_role("button").click()
    helper.page.wait_for_load_state()
    helper.choose_display(mode, language)
    helper.open("/helpers")
    helper.page.locator("main form[action^='/acting/'] button").click()
    helper.page.wait_for_load_state()
    for path, status in (("/measurements", 200), ("/records", 403)):
        assert helper.open(path).status == status
        helper.assert_accessible(f"{path} acting {mode} {language}")
        width = helper.page.evaluate("document.documentElement.scrollWidth")
        assert width <= helper.page.viewport_size["width"], path
    other.close()
    pages.choose_display("normal", "nl")
    assert console_errors == []
    assert page.url
