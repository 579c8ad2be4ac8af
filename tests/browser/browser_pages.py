"""What a browser test does, in the user's terms (its own module name: `from conftest import ...` would find another
folder's conftest when several test folders run together)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from helpers import MODES, WCAG_TAGS
from pagecheck import check_page

from pgo.demo import DEMO_PASSWORD


class Pages:
    """What a test does with the browser, in the user's terms."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None
        if "text/html" in response.headers.get("content-type", ""):
            check_page(self.page.content(), where=path)
        return response

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.open("/sign-in")
        self.page.get_by_label("E-mailadres").or_(self.page.get_by_label("Email address")).fill(email)
        self.page.get_by_label("Wachtwoord", exact=True).or_(self.page.get_by_label("Password", exact=True)).fill(
            password
        )
        with self.page.expect_navigation():  # the answer's page, not the form's (already loaded: no wait)
            self.page.get_by_role("main").get_by_role("button").click()

    def choose_display(self, mode: str, language: str) -> None:
        """Set the display mode and language through the preferences form, as a person would."""
        self.open("/preferences")
        form = self.page.locator("main form")
        values = {"reading_level": "standard", "language": language, **MODES[mode]}
        form.locator(f"input[name=text_size][value={values['text_size']}]").check()
        for box in ("high_contrast", "simplified"):
            checkbox = form.locator(f"input[name={box}]")
            checkbox.check() if box in values else checkbox.uncheck()
        form.locator(f"input[name=language][value={language}]").check()
        # Waiting for the load state alone returned at once (the form's page had loaded), so a test could clear the
        # cookies while the answer was still on its way: its Set-Cookie then came back after the clearing, and the
        # next sign-in's CSRF token no longer matched the session (a sign-in answered 400 once, on 2026-11-22).
        with self.page.expect_navigation():
            form.get_by_role("button").click()

    def assert_accessible(self, where: str = "") -> None:
        # resultTypes: only violations are reported in full, which makes axe several times faster
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        results = Axe().run(self.page, options=options)
        assert results.violations_count == 0, f"{where or self.page.url}: {results.generate_report()}"
