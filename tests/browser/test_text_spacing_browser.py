"""WCAG 1.4.12 text spacing: with the user's own spacing (line height 1.5, paragraphs 2em, letters 0.12em,
words 0.16em) nothing scrolls sideways or gets cut off, at 320 px in large text, on the main pages."""

from __future__ import annotations

import pytest

from pgo.demo import CLINICIAN_EMAIL, PATIENT_EMAIL

pytestmark = pytest.mark.browser

SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
PATIENT_PAGES = [
    "/",
    "/records",
    "/records/results",
    "/records/medication",
    "/measurements",
    "/measurements/blood_pressure/new",
    "/decisions/",
    "/consent",
    "/preferences",
    "/questionnaires/",
    "/questionnaires/1/pages/1",
]  # fmt: skip  (1: the demo's first questionnaire)
CLINICIAN_PAGES = ["/clinic/", "/clinic/measurements"]

CUT_OFF = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.offsetParent !== null && el.children.length === 0 && el.textContent.trim())
  .filter(el => !el.closest('.visually-hidden'))  /* screen-reader text is clipped on purpose */
  .filter(el => { const s = getComputedStyle(el);
    return (s.overflow === 'hidden' || s.overflowX === 'hidden' || s.overflowY === 'hidden')
      && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1); })
  .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40))"""


@pytest.fixture
def browser_context_args(browser_context_args):
    # The spacing override is the reader's own style sheet: let it past our Content-Security-Policy.
    return {**browser_context_args, "bypass_csp": True, "viewport": {"width": 320, "height": 640}}


@pytest.mark.parametrize(("email", "paths"), [(PATIENT_EMAIL, PATIENT_PAGES), (CLINICIAN_EMAIL, CLINICIAN_PAGES)])
def test_text_spacing_breaks_nothing(pages, email, paths):
    # Given a person who reads with large text and their own text spacing, on a small phone
    pages.sign_in(email)
    pages.choose_display("large-text", "nl")
    for path in paths:
        # When they open each main page
        pages.open(path)
        pages.page.add_style_tag(content=SPACING)
        # Then nothing scrolls sideways and no text is cut off
        overflow = pages.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px with text spacing"
        assert pages.page.evaluate(CUT_OFF) == [], f"{path}: text cut off with text spacing"
