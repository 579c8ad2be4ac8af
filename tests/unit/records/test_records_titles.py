"""#16 (2026-12-03): record titles people read, in the page's language."""

from __future__ import annotations

import pytest

from pgo.i18n import use_locale
from pgo.records.models import RecordEntry
from pgo.records.presenters import present


def _title(title: str, code_key: str = "", category: str = "result", lang: str = "nl") -> str:
    entry = RecordEntry(id=1, user_id=1, category=category, resource_type="Observation", title=title, code_key=code_key)
    with use_locale(lang):
        return present(entry, {}).title


def test_a_dutch_page_shows_the_catalogues_dutch_title_not_the_english_display():
    assert _title("Low Density Lipoprotein Cholesterol", "http://loinc.org|18262-6") == (
        "LDL-cholesterol (slecht cholesterol)"
    )
    assert _title("Sodium [Moles/volume] in Serum or Plasma", "http://loinc.org|2951-2") == "Natrium"


@pytest.mark.parametrize(
    "display,shown",
    [
        ("Lichaamslengte [lengte] in ^patiënt", "Lichaamslengte"),
        ("Body weight [Mass] in ^Patient", "Body weight"),
        ("Sodium:SCnc:Pt:Ser/Plas:Qn", "Sodium"),
        ("CAPECITABINE 500MG TABLET", "Capecitabine 500 mg tablet"),
        ("METFORMINE HCL 500MG TABLET", "Metformine HCl 500 mg tablet"),
        ("Paracetamol 500 mg tablet", "Paracetamol 500 mg tablet"),
    ],
)
def test_displays_without_loinc_syntax_or_shouting(display, shown):
    assert _title(display, category="medication" if "TABLET" in display.upper() else "result") == shown


def test_a_medicine_keeps_its_product_name_with_strength():
    assert _title("CAPECITABINE 500MG TABLET", "urn:oid:2.16.840.1.113883.2.4.4.10|67903", "medication") == (
        "Capecitabine 500 mg tablet"
    )


@pytest.mark.parametrize(
    "value,shown",
    [("17:29:00", "17:29"), ("2019-03", "maart 2019"), ("2019-04-03T14:05:33+02:00", "3 april 2019, 14:05")],
)
def test_times_without_seconds_and_partial_dates_as_given(value, shown):
    """#16: a time or date value reads like the rest of the page."""
    entry = RecordEntry(id=1, user_id=1, category="result", resource_type="Observation", title="x", value_text=value)
    with use_locale("nl"):
        assert present(entry, {}).value == shown


def test_a_dose_uses_the_dutch_decimal_comma():
    entry = RecordEntry(
        id=1, user_id=1, category="medication", resource_type="MedicationRequest", title="Paracetamol 500 mg tablet",
        details={"dose": [{"dose": "0.5 stuk", "count": "2", "period": "1", "period_unit": "d"}]},
    )  # fmt: skip
    with use_locale("nl"):
        assert present(entry, {}).dose.startswith("0,5 tablet")
    with use_locale("en"):
        assert present(entry, {}).dose.startswith("0.5 tablet")
