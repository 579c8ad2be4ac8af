"""A large upload shows its progress, then its report (#17, 2026-12-03): in Dutch and English, axe-clean both."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from browser_pages import Pages
from live import demo_app, serving

from pgo.demo import PATIENT_EMAIL

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))
from load_setup import CREATININE, HEART_RATE, _observation  # noqa: E402

pytestmark = pytest.mark.browser

RESOURCES = 10_000
FILES = {"nl": "Bestanden met uw gegevens", "en": "Files with your records"}
IMPORT = {"nl": "Bestanden importeren", "en": "Import files"}
RUNNING = {"nl": "Uw bestanden worden geïmporteerd", "en": "Your files are being imported"}
REPORT = {"nl": "Verslag van de import", "en": "Import report"}
PROGRESS = {"nl": "Voortgang", "en": "Progress"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = demo_app(tmp_path_factory.mktemp("import-progress"), "browser-tests-import-progress")
    with serving(app) as url:
        yield url
    runner = app.extensions.get("pgo_background_imports")
    if runner is not None:
        runner.shutdown()
    app.extensions["pgo_engine"].dispose()


@pytest.fixture(scope="module")
def large_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "groot-dossier.ndjson"
    with path.open("w") as handle:
        for index in range(RESOURCES):
            handle.write(json.dumps(_observation(index, HEART_RATE if index % 10 == 0 else CREATININE)) + "\n")
    return path


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_large_upload_shows_its_progress_and_then_the_report(server, large_file, language, page, console_errors):
    here = Pages(page, server)
    # Given Anna is signed in, in her language
    here.sign_in(PATIENT_EMAIL)
    here.choose_display("normal", language)
    # When she uploads a file of 10,000 resources
    here.open("/records/import")
    page.get_by_label(FILES[language]).set_input_files(str(large_file))
    page.get_by_role("button", name=IMPORT[language]).click()
    # Then she sees at once that it is being imported, with a progress bar
    page.wait_for_url(re.compile(r"/records/import/jobs/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == RUNNING[language]
    bar = page.get_by_role("progressbar", name=PROGRESS[language])
    assert bar.is_visible()
    here.assert_accessible(f"import progress {language}")
    # And the progress goes on by itself until the report replaces it
    page.get_by_role("heading", level=1, name=REPORT[language]).wait_for(timeout=120_000)
    report = page.get_by_role("main").inner_text()
    assert ("nieuwe gegevens toegevoegd" in report) or ("records were already there" in report)
    here.assert_accessible(f"import report {language}")
    here.choose_display("normal", "nl")
    assert console_errors == []
