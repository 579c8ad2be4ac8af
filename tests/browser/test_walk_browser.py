"""The walk as our users make it (#18): every page, as patient and clinician, in every display mode, on a phone at
320 CSS px (a 1280 px screen at 400% zoom): buttons readable in every state, no sideways scrolling, the menu out of
the way so that the page's heading is on the first screen."""

from __future__ import annotations

import pytest
from browser_pages import Pages
from helpers import MODES
from walk_pages import PEOPLE, every_page

from pgo.demo import PATIENT_EMAIL

pytestmark = pytest.mark.browser

ZOOMED = {"width": 320, "height": 256}  # 1280 x 1024 at 400%

# The contrast of each visible button's text against what is behind it (the first ancestor with a background).
CONTRAST = """(els) => {
  const rgb = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const behind = (el) => { for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c; }
    return {r: 255, g: 255, b: 255}; };
  return els.filter((el) => el.getClientRects().length && !el.closest('.visually-hidden')).map((el) => {
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(behind(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    return [el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40), Math.round(ratio * 100) / 100];
  });
}"""
BUTTONS = "main .button, main button, .site-header .button, .site-header button, .link-button, [role=button]"


def low_contrast(page, state: str) -> list[str]:
    measured = page.locator(BUTTONS).evaluate_all(CONTRAST)
    return [f"{text!r} {ratio}:1 ({state})" for text, ratio in measured if ratio < 4.5]


def button_contrast(page) -> list[str]:
    """Buttons as they are, and each kind of button hovered and focused."""
    problems = low_contrast(page, "default")
    kinds = page.locator(BUTTONS).evaluate_all(
        "els => { const seen = new Set(); return els.map((el, i) => [i, el.tagName + '.' + el.className])"
        ".filter(([i, k]) => !seen.has(k) && seen.add(k) && els[i].getClientRects().length).map(([i]) => i); }"
    )
    for index in kinds:
        button = page.locator(BUTTONS).nth(index)
        if not button.is_visible():
            continue
        button.hover()
        problems += low_contrast(page, "hover")
        button.focus()
        problems += low_contrast(page, "focus")
    page.mouse.move(0, 0)
    return problems


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": ZOOMED}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("email", PEOPLE)
def test_every_page_at_400_percent_zoom(pages, email, mode):
    page = pages.page
    # Given a person on a phone-sized window, in their display mode
    paths = every_page(pages, email)
    pages.choose_display(mode, "nl")
    problems = []
    for path in paths:
        # When they open each page
        pages.open(path)
        # Then nothing scrolls sideways
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px")
        # And the page's heading is on the first screen
        top = page.get_by_role("heading", level=1).evaluate("h => h.getBoundingClientRect().top")
        if top > ZOOMED["height"] - 30:
            problems.append(f"{path}: the heading starts at {top:.0f}px, below the first screen")
        # And every button can be read, as it is, hovered and focused
        problems += [f"{path}: {p}" for p in button_contrast(page)]
    pages.choose_display("normal", "nl")
    assert problems == [], "\n".join(problems)


def test_the_menu_opens_and_closes_by_keyboard_at_400_percent_zoom(pages, console_errors):
    page = pages.page
    # Given the patient on a phone-sized window: the menu is folded away behind one button
    pages.sign_in(PATIENT_EMAIL)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = page.get_by_role("button", name="Menu")
    assert not menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    pages.assert_accessible("/ with the menu folded")
    # When they open it with the keyboard
    toggle.focus()
    page.keyboard.press("Enter")
    # Then the menu and the tools (language, display, sign out) are there, and the button says it is open
    assert menu.is_visible()
    assert page.get_by_role("banner").get_by_role("link", name="Weergave", exact=True).is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    pages.assert_accessible("/ with the menu open")
    # When they follow a menu entry, the next page starts with its heading on the first screen
    menu.get_by_role("link", name="Metingen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).is_visible()
    # And Escape closes an open menu and returns to the button
    toggle.click()
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    assert console_errors == []


def test_the_menu_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport=ZOOMED, locale="nl-NL")
    page = context.new_page()
    pages = Pages(page, base_url)
    pages.sign_in(PATIENT_EMAIL)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    assert not menu.is_visible()
    # The "Menu" link opens the menu (CSS :target) ...
    page.get_by_role("link", name="Menu", exact=True).click()
    assert menu.is_visible()
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    # ... and "Menu sluiten" closes it again and leads on to the page
    page.get_by_role("link", name="Menu sluiten").click()
    assert not menu.is_visible()
    assert page.url.endswith("#main")
    context.close()


def test_after_saving_a_reading_the_heading_and_title_say_so(pages, console_errors):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.open("/measurements/blood_pressure/new")
    page.locator("#systolic").fill("128")
    page.locator("#diastolic").fill("82")
    page.locator("main form button[type=submit]").click()
    heading = page.get_by_role("heading", level=1)
    heading.filter(has_text="Uw meting is opgeslagen").wait_for()
    # htmx swapped the main area: one h1, focused, the title follows, no <title> left in the page's body
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.title().startswith("Uw meting is opgeslagen")
    assert page.locator("main title").count() == 0
    pages.assert_accessible("the result after saving")
    assert console_errors == []


def test_the_advice_is_read_aloud_with_pause_and_stop(pages, console_errors):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.open("/measurements/blood_pressure/new")
    page.locator("#systolic").fill("128")
    page.locator("#diastolic").fill("82")
    page.locator("main form button[type=submit]").click()
    # When the patient asks for the advice to be read aloud (this browser has no voice: the server's audio plays)
    page.get_by_role("link", name="Advies voorlezen").click()
    # Then it reads, with a pause and a stop button
    page.locator("audio.read-aloud-player").wait_for()
    pause = page.get_by_role("button", name="Pauzeren")
    pause.click()
    assert page.get_by_role("button", name="Verdergaan").is_visible()
    assert page.locator("audio.read-aloud-player").evaluate("a => a.paused")
    pages.assert_accessible("the advice while it is read")
    # And Stop ends it and puts the focus back on the link
    page.get_by_role("button", name="Stoppen").click()
    assert page.get_by_role("button", name="Verdergaan").count() == 0
    assert page.evaluate("document.activeElement.textContent.trim()") == "Advies voorlezen"
    assert console_errors == []
