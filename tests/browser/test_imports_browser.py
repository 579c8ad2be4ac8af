"""A patient connects the demonstration care provider and gets their records; upload and report pages are accessible."""

from __future__ import annotations

import json

import pytest
from browser_pages import Pages
from helpers import MODES
from live import demo_app, serving

from pgo.demo import PATIENT_EMAIL
from pgo.sandbox import create_sandbox_app

pytestmark = pytest.mark.browser

FILES = {"nl": "Bestanden met uw gegevens", "en": "Files with your records"}
IMPORT = {"nl": "Bestanden importeren", "en": "Import files"}


@pytest.fixture(scope="module")
def provider_server(tmp_path_factory):
    """pgo on loopback with the sandbox care provider configured, and the sandbox sending patients back to it."""
    app = demo_app(tmp_path_factory.mktemp("imports-live"), "browser-tests-imports")
    with serving(app) as pgo_url:
        sandbox = create_sandbox_app({"SANDBOX_REDIRECT_URIS": [f"{pgo_url}/records/providers/callback"]})
        with serving(sandbox) as sandbox_url:
            app.config["PGO_SANDBOX_URL"] = sandbox_url
            yield {"url": pgo_url, "app": app}
    app.extensions["pgo_engine"].dispose()


@pytest.fixture
def here(page, provider_server):
    return Pages(page, provider_server["url"])


def test_patient_connects_the_sandbox_and_sees_the_report(here, console_errors):
    page = here.page
    # Given Anna is signed in at pgo
    here.sign_in(PATIENT_EMAIL)
    # When she opens the care providers page and connects the sandbox
    here.open("/records/providers")
    page.get_by_role("link", name="Zorgaanbieder Sandbox koppelen").click()
    # Then she signs in at the care provider as johan and allows sharing
    page.get_by_label("Gebruikersnaam").fill("johan")
    page.get_by_label("Wachtwoord").fill("sandbox")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Toestaan").click()
    page.wait_for_load_state()
    # And back at pgo she reads what was added
    assert page.get_by_role("heading", level=1).inner_text() == "Gegevens van Zorgaanbieder Sandbox"
    report = page.get_by_role("main").inner_text()
    assert "nieuwe gegevens toegevoegd" in report and "Er zijn 0" not in report
    # And the providers page says she is connected, and fetching again adds nothing new
    here.open("/records/providers")
    assert "Gekoppeld" in page.get_by_role("main").inner_text()
    page.get_by_role("button", name="Opnieuw ophalen bij Zorgaanbieder Sandbox").click()
    page.wait_for_load_state()
    assert "Geen nieuwe gegevens" in page.get_by_role("main").inner_text()
    # And the download holds her records
    with page.expect_download() as download:
        here.open("/records/import")
        page.get_by_role("link", name="Mijn hele dossier downloaden").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["resourceType"] == "Bundle" and len(exported["entry"]) > 10
    assert console_errors == []


@pytest.mark.parametrize("mode", list(MODES))
def test_import_pages_are_accessible(here, mode, console_errors, tmp_path):
    here.sign_in(PATIENT_EMAIL)
    bad = tmp_path / "kapot.json"
    bad.write_text('{"resourceType": "Observation"', encoding="utf-8")
    for language in ("nl", "en"):
        here.choose_display(mode, language)
        for path in ("/records/import", "/records/providers"):
            here.open(path)
            here.assert_accessible(f"{path} {mode} {language}")
        # The report page, after an upload with a refused file
        here.open("/records/import")
        here.page.get_by_label(FILES[language]).set_input_files(str(bad))
        here.page.get_by_role("button", name=IMPORT[language]).click()
        here.page.wait_for_load_state()
        assert "kapot.json" in here.page.get_by_role("main").inner_text()
        here.assert_accessible(f"report {mode} {language}")
    here.choose_display("normal", "nl")
    assert console_errors == []
