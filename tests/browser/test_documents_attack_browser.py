"""The stored-script attack through imported documents fails (#17, 2026-12-03).

An imported ``text/html`` document that loads a second imported ``text/javascript`` document ran script under
pgo's own origin: opened by the patient in Chromium, it gave the attacker's team consent to all her data. Now
both come as downloads, sandboxed: the victim opens the document, nothing runs and no consent changes.
"""

from __future__ import annotations

import base64

import pytest
from sqlmodel import Session, select

from pgo.accounts.models import CareTeam, ConsentGrant
from pgo.accounts.service import create_user
from pgo.demo import DEMO_PASSWORD
from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry

pytestmark = pytest.mark.browser

VICTIM = "slachtoffer@example.nl"
# Reads the consent page's CSRF token and grants the team consent to all data, as the victim.
SCRIPT = """
window.attackRan = true;
fetch('/consent').then(r => r.text()).then(html => {
  const form = new FormData();
  form.append('csrf_token', html.match(/name="csrf_token" value="([^"]+)"/)[1]);
  form.append('team_id', '%(team)s'); form.append('category', 'all'); form.append('action', 'grant');
  return fetch('/consent', {method: 'POST', body: form});
});
"""


def document(fhir_id: str, title: str, content_type: str, data: str) -> dict:
    attachment = {"contentType": content_type, "title": title, "data": base64.b64encode(data.encode()).decode()}
    return {
        "resourceType": "DocumentReference",
        "id": fhir_id,
        "status": "current",
        "type": {"text": title},
        "date": "2024-03-01T10:00:00Z",
        "content": [{"attachment": attachment}],
    }


def _import(session: Session, user_id: int, resource: dict) -> int:
    assert import_resources(session=session, user_id=user_id, resources=[resource], source=f"{resource['id']}.json").ok
    session.commit()
    return session.exec(
        select(RecordEntry.id).where(RecordEntry.user_id == user_id, RecordEntry.title == resource["type"]["text"])
    ).one()


@pytest.fixture
def attack(live_server):
    engine = live_server["app"].extensions["pgo_engine"]
    with Session(engine) as session:
        victim = create_user(session=session, email=VICTIM, password=DEMO_PASSWORD, role="patient", name="Slachtoffer")
        team = session.exec(select(CareTeam)).first()
        script_id = _import(session, victim.id, document("js", "Script", "text/javascript", SCRIPT % {"team": team.id}))
        loads_script = f"<script src='/records/documents/{script_id}/file'></script>"
        page = f"<!doctype html><title>Uitslag</title><p>Uw uitslag</p>{loads_script}"
        letter_id = _import(session, victim.id, document("html", "Brief van het lab", "text/html", page))
        return {"engine": engine, "victim": victim.id, "letter": letter_id, "script": script_id}


def _grants(engine, user_id: int) -> list:
    with Session(engine) as session:
        return session.exec(select(ConsentGrant).where(ConsentGrant.user_id == user_id)).all()


def test_opening_an_imported_html_document_runs_nothing_and_changes_no_consent(pages, attack):
    page = pages.page
    # Given the victim is signed in and her imported records hold the attacker's two documents
    pages.sign_in(VICTIM)
    assert _grants(attack["engine"], attack["victim"]) == []
    # When she opens the "letter" from her documents page
    pages.open("/records/documents")
    with page.expect_download(timeout=5000) as opened:
        page.evaluate("url => { window.location.href = url }", f"/records/documents/{attack['letter']}/file")
    # Then it is saved as a file, not shown as a page of pgo: no script of it can run
    download = opened.value
    assert download.suggested_filename == "Brief van het lab"
    assert not download.suggested_filename.endswith((".html", ".htm", ".js", ".svg"))
    # And even the script document, loaded as a script by pgo's own page, is refused by the browser (nosniff)
    ran = page.evaluate(
        """src => new Promise(done => {
            const script = document.createElement('script');
            script.src = src;
            script.onload = () => done(window.attackRan === true);
            script.onerror = () => done(false);
            document.head.appendChild(script);
        })""",
        f"/records/documents/{attack['script']}/file",
    )
    assert ran is False
    page.wait_for_timeout(500)
    # And no team got consent to her data
    assert _grants(attack["engine"], attack["victim"]) == []
