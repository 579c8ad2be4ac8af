"""A PDF letter opens in Chromium's own PDF viewer, sandbox and all (#17, 2026-12-03).

Documents are served under ``Content-Security-Policy: sandbox`` so that nothing imported can run as pgo. Reports
from other projects say Chrome's PDF viewer refuses to start under a sandbox. Chromium 156 does start it: for a PDF
it keeps only the policy's ``frame-ancestors`` (the answer the page sees has no ``sandbox`` left), and draws the
page. This test keeps that true for the Chromium we test with: if a later one refuses, the patient could no longer
read her letters, and this test says so.
"""

from __future__ import annotations

import base64
import shutil

import pytest
from sqlmodel import Session, select

from pgo.accounts.service import create_user
from pgo.demo import DEMO_PASSWORD
from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry

pytestmark = pytest.mark.browser

PATIENT = "brief-lezer@example.nl"
# One empty A6 page: the smallest PDF the viewer draws.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 298 420]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def letter(live_server) -> int:
    engine = live_server["app"].extensions["pgo_engine"]
    with Session(engine) as session:
        patient = create_user(session=session, email=PATIENT, password=DEMO_PASSWORD, role="patient", name="Lezer")
        resource = {
            "resourceType": "DocumentReference",
            "id": "ontslagbrief",
            "status": "current",
            "type": {"text": "Ontslagbrief"},
            "date": "2024-03-01T10:00:00Z",
            "content": [{"attachment": {"contentType": "application/pdf", "title": "Ontslagbrief",
                                        "data": base64.b64encode(PDF).decode()}}],
        }  # fmt: skip
        assert import_resources(session=session, user_id=patient.id, resources=[resource], source="brief.json").ok
        session.commit()
        return session.exec(
            select(RecordEntry.id).where(RecordEntry.user_id == patient.id, RecordEntry.title == "Ontslagbrief")
        ).one()


def test_a_pdf_letter_opens_in_the_browsers_pdf_viewer(pages, playwright, base_url, letter):
    pages.sign_in(PATIENT)
    # The test browser's headless shell has no PDF viewer; the full Chromium in its new headless mode has one.
    viewer = playwright.chromium.launch(
        executable_path=shutil.which("chromium") or "/usr/bin/chromium",
        headless=False,
        args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    )
    try:
        context = viewer.new_context()
        context.add_cookies(pages.page.context.cookies())
        page = context.new_page()
        url = f"{base_url}/records/documents/{letter}/file"
        assert context.request.get(url).headers["content-security-policy"].startswith("sandbox")  # as pgo sends it
        response = page.goto(url, timeout=15_000)
        assert response is not None and response.status == 200
        assert page.evaluate("document.contentType") == "application/pdf"
        # The viewer is an extension page in its own frame: present when Chromium shows the PDF.
        page.wait_for_timeout(1000)
        assert any(frame.url.startswith("chrome-extension://") for frame in page.frames), [f.url for f in page.frames]
    finally:
        viewer.close()
