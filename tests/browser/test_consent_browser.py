"""The patient decides who may see their data, and reads who looked."""

from __future__ import annotations

import re

import pytest
from helpers import MODES
from sqlmodel import Session, select

from pgo.accounts import audit
from pgo.accounts.models import CareTeam, User
from pgo.demo import CLINICIAN_EMAIL, PATIENT_EMAIL, TEAM_NAME

pytestmark = pytest.mark.browser


@pytest.fixture
def clinician_looked(live_server):
    """Dr. Jansen viewed the patient's blood pressure (as a clinician page would log it)."""
    with Session(live_server["app"].extensions["pgo_engine"]) as session:
        patient = session.exec(select(User).where(User.email == PATIENT_EMAIL)).one()
        doctor = session.exec(select(User).where(User.email == CLINICIAN_EMAIL)).one()
        team = session.exec(select(CareTeam).where(CareTeam.name == TEAM_NAME)).one()
        audit.record_access(
            session=session,
            actor_id=doctor.id,
            actor_role="clinician",
            team_id=team.id,
            patient_id=patient.id,
            what="view:blood_pressure",
            purpose="care",
        )
        session.commit()


def test_patient_withdraws_and_gives_access_and_reads_the_log(pages, clinician_looked, console_errors):
    page = pages.page
    # Given the patient is signed in
    pages.sign_in(PATIENT_EMAIL)
    # When they open "Who may see my data" from the menu
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wie mag mijn gegevens zien").click()
    team = page.get_by_role("region", name="Praktijk De Linde")
    # Then the practice may see everything
    assert "Dit team mag dit zien." in team.inner_text()
    # When they withdraw the access to their measurements
    team.get_by_role("button", name=re.compile("^Toegang intrekken.*Metingen")).click()
    page.wait_for_load_state()
    # Then the page says so and the history tells the change in plain words
    assert "Gelukt: het team kan dit vanaf nu niet meer zien." in page.get_by_role("status").inner_text()
    assert "U trok de toegang van Praktijk De Linde tot uw metingen in op" in page.locator("main").inner_text()
    # When they give it back
    page.get_by_role("button", name=re.compile("^Toegang geven.*Metingen")).click()
    page.wait_for_load_state()
    assert "Gelukt: het team kan dit nu zien." in page.get_by_role("status").inner_text()
    # And they read who looked at their data
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wie bekeek mijn gegevens").click()
    assert "Dr. Jansen (Praktijk De Linde) bekeek uw bloeddruk op" in page.locator("main").inner_text()
    assert console_errors == []


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("language", ["nl", "en"])
def test_consent_pages_are_accessible(pages, clinician_looked, console_errors, mode, language):
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, language)
    for path in ("/consent", "/access-log"):
        pages.open(path)
        pages.assert_accessible(f"{path} {mode} {language}")
        width = pages.page.evaluate("document.documentElement.scrollWidth")
        assert width <= pages.page.viewport_size["width"]
    pages.choose_display("normal", "nl")
    assert console_errors == []
