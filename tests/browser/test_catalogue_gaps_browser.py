"""The clinicians' gap page (issue #15) in every display mode and both languages: axe finds nothing, and at 320 CSS
px with large text the table stacks instead of scrolling sideways."""

from __future__ import annotations

import pytest
from helpers import MODES

from pgo.demo import CLINICIAN_EMAIL

pytestmark = pytest.mark.browser

PATH = "/clinic/catalogue/gaps"
PRK = "urn:oid:2.16.840.1.113883.2.4.4.10"


@pytest.fixture(autouse=True)
def unexplained_records(live_server):
    """One more patient (no consent to anyone: no other page shows them) with medicines the catalogue does not
    know, so that the page has a table to check."""
    from sqlmodel import Session, select

    from pgo.accounts.models import User
    from pgo.records.importing import import_resources

    with Session(live_server["app"].extensions["pgo_engine"]) as session:
        if session.exec(select(User).where(User.email == "gaps@example.nl")).first():
            return
        user = User(email="gaps@example.nl", name="Gaps")
        session.add(user)
        session.flush()
        resources = [
            {"resourceType": "MedicationStatement", "id": f"gap-{n}", "status": "active",
             "medicationCodeableConcept": {"coding": [{"system": PRK, "code": f"99999{n}",
                                                       "display": f"ONBEKEND PREPARAAT {n} MG"}]},
             "effectivePeriod": {"start": "2021-06-12"}}
            for n in range(3)
        ]  # fmt: skip
        assert import_resources(session=session, user_id=user.id, resources=resources, source="test").ok
        session.commit()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_gap_page_is_accessible(pages, language, console_errors):
    pages.sign_in(CLINICIAN_EMAIL)
    for mode in MODES:
        pages.choose_display(mode, language)
        pages.open(PATH)
        assert pages.page.locator("table.gap-table tbody tr").count() > 0  # the demo's records have gaps
        pages.assert_accessible(f"{PATH} [{mode}, {language}]")
    pages.choose_display("normal", "nl")
    assert console_errors == []


def test_the_gap_page_does_not_scroll_sideways_at_320_pixels(pages):
    pages.page.set_viewport_size({"width": 320, "height": 640})
    pages.sign_in(CLINICIAN_EMAIL)
    pages.choose_display("large-text", "nl")
    pages.open(PATH)
    overflow = pages.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{PATH} scrolls sideways by {overflow}px at 320px"
    pages.choose_display("normal", "nl")
