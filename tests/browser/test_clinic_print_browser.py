"""The clinician's preparation prints on one A4 (#18), in Dutch and English, in Chromium's own PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from pgo.demo import CLINICIAN_EMAIL

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_preparation_prints_on_one_a4(pages, language):
    # Given Dr. Jansen preparing the consultation with the demo patient
    pages.sign_in(CLINICIAN_EMAIL)
    pages.choose_display("normal", language)
    pages.open("/clinic/")
    pages.open(pages.page.locator("a[href$='/preparation']").first.get_attribute("href"))
    # When she prints it
    pages.page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(pages.page.pdf(format="A4", prefer_css_page_size=True)))
    text = pdf.pages[0].extract_text()
    pages.page.emulate_media(media="screen")
    pages.choose_display("normal", "nl")
    # Then it is one page, with the patient's name on it and the medication (it fell on the third page)
    assert len(pdf.pages) == 1, f"{len(pdf.pages)} pages"
    assert "Anna de Vries" in text
    # With who it is about, in a clinician's words, and the results that matter for this decision (#18)
    words = {
        "nl": ("Geboortedatum onbekend", "Gemiddeld ", "Kalium", "Metingen (laatste 30 dagen)"),
        "en": ("Date of birth unknown", "Mean ", "Potassium", "Measurements (last 30 days)"),
    }
    missing = [word for word in words[language] if word not in text]
    assert missing == [], f"not on the printed page: {missing}"
    assert "Uw gemiddelde" not in text and "Your average" not in text
