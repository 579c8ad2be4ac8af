"""A person signs in, changes language and display, and every page stays accessible."""

from __future__ import annotations

import pytest
from helpers import MODES

from pgo.demo import CLINICIAN_EMAIL, PATIENT_EMAIL

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/sign-in", "/preferences", "/no-such-page"]
SIGNED_IN_PAGES = ["/", "/preferences", "/account/password"]


def test_patient_signs_in_and_switches_language(pages, console_errors):
    page = pages.page
    # Given the start page in Dutch
    pages.open("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    # When the patient signs in
    pages.sign_in(PATIENT_EMAIL)
    # Then they are welcomed by name
    assert page.get_by_role("heading", level=1).inner_text() == "Welkom, Anna de Vries"
    # When they switch to English
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    # Then the page is English and says so
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Anna de Vries"
    # And the choice stays after signing out and in again
    page.get_by_role("button", name="Sign out").click()
    pages.sign_in(PATIENT_EMAIL)
    assert page.locator("html").get_attribute("lang") == "en"
    pages.choose_display("normal", "nl")
    assert console_errors == []


def test_clinician_signs_in(pages, console_errors):
    pages.sign_in(CLINICIAN_EMAIL)
    assert pages.page.get_by_role("heading", level=1).inner_text() == "Welkom, Dr. Jansen"
    assert console_errors == []


def test_wrong_password_shows_an_error_linked_to_the_field(pages):
    pages.sign_in(PATIENT_EMAIL, "wrong-password")
    summary = pages.page.locator(".error-summary")
    assert "klopt niet" in summary.inner_text()
    assert summary.evaluate("el => el === document.activeElement")


def test_display_modes_change_the_page(pages):
    page = pages.page
    pages.choose_display("high-contrast", "nl")
    assert "contrast-high" in page.locator("html").get_attribute("class")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    pages.choose_display("large-text", "nl")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size == 24
    pages.choose_display("normal", "nl")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_public_pages_are_accessible(pages, mode, language, console_errors):
    pages.choose_display(mode, language)
    for path in PUBLIC_PAGES:
        pages.open(path)
        pages.assert_accessible(f"{path} [{mode}, {language}]")
    assert [e for e in console_errors if "404" not in e] == []


@pytest.mark.parametrize("email", [PATIENT_EMAIL, CLINICIAN_EMAIL])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("mode", list(MODES))
def test_signed_in_pages_are_accessible(pages, email, mode, language, console_errors):
    pages.sign_in(email)
    pages.choose_display(mode, language)
    for path in SIGNED_IN_PAGES:
        pages.open(path)
        pages.assert_accessible(f"{path} [{email}, {mode}, {language}]")
    pages.choose_display("normal", "nl")
    assert console_errors == []


def test_no_horizontal_scrolling_at_320_pixels(pages):
    pages.page.set_viewport_size({"width": 320, "height": 640})
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("large-text", "nl")
    for path in SIGNED_IN_PAGES:
        pages.open(path)
        overflow = pages.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    pages.choose_display("normal", "nl")
