"""Connecting a care provider: the sandbox runs on loopback; the test client plays the browser on both sides."""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from pgo.providers.models import ProviderConnection
from pgo.records.models import RecordProvenance, RecordResource
from pgo.sandbox import create_sandbox_app

CALLBACK = "http://localhost/records/providers/callback"  # where the test client's app lives


@pytest.fixture(scope="module")
def sandbox_url():
    app = create_sandbox_app({"SANDBOX_REDIRECT_URIS": [CALLBACK], "SANDBOX_TEST_CONTROLS": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def behave(sandbox_url: str, **form: str) -> None:
    requests.post(f"{sandbox_url}/_sandbox/behaviour", data=form, timeout=5).raise_for_status()


@pytest.fixture
def sandbox(app, sandbox_url):
    behave(sandbox_url, failure="")
    app.config["PGO_SANDBOX_URL"] = sandbox_url
    yield sandbox_url
    behave(sandbox_url, failure="")


@pytest.fixture
def patient(make_user, sign_in):
    user = make_user("anna@example.nl")
    sign_in("anna@example.nl")
    return user


def at_sandbox(authorize_url: str, *, allow: bool = True) -> str:
    """Sign in at the sandbox as johan and answer the consent question; the redirect back to pgo."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=5)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    page = browser.post(authorize_url, data={**hidden, "username": "johan", "password": "sandbox"}, timeout=5)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    answer = browser.post(
        authorize_url, data={**hidden, "action": "allow" if allow else "deny"}, timeout=5, allow_redirects=False
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def back_at_pgo(client, location: str):
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(f"{parts.path}?{parts.query}", follow_redirects=True)


def count(db_session, model) -> int:
    return db_session.execute(select(func.count()).select_from(model)).scalar_one()


def connect(client):
    started = client.get("/records/providers/sandbox/connect")
    assert started.status_code == 302
    return started.headers["Location"]


def test_providers_page_lists_the_sandbox(client, sandbox, patient):
    html = client.get("/records/providers").get_data(as_text=True)
    assert "Zorgaanbieder Sandbox" in html and "Niet gekoppeld" in html
    assert 'href="/records/providers/sandbox/connect"' in html


def test_whole_flow_imports_the_records_and_fetch_again_adds_nothing(client, sandbox, patient, db_session, token):
    authorize = connect(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [CALLBACK]
    result = back_at_pgo(client, at_sandbox(authorize))
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "Gegevens van Zorgaanbieder Sandbox" in html
    added = count(db_session, RecordResource)
    assert added > 10 and f"{added} nieuwe gegevens toegevoegd" in html
    assert set(db_session.execute(select(RecordProvenance.source_name)).scalars()) == {"Zorgaanbieder Sandbox"}
    connection = db_session.execute(select(ProviderConnection)).scalar_one()
    assert connection.status == "connected" and "access" not in (connection.access_token_encrypted or "access")

    page = client.get("/records/providers").get_data(as_text=True)
    assert "Gekoppeld" in page and "Laatst opgehaald" in page
    again = client.post(
        "/records/providers/sandbox/fetch", data={"csrf_token": token("/records/providers")}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Geen nieuwe gegevens" in again and f"{added} gegevens stonden er al" in again
    assert count(db_session, RecordResource) == added


def test_fetch_again_needs_csrf(client, sandbox, patient, db_session):
    assert client.post("/records/providers/sandbox/fetch").status_code == 400
    assert count(db_session, RecordResource) == 0


def test_state_mismatch_is_refused(client, sandbox, patient, db_session):
    location = at_sandbox(connect(client))
    forged = location.replace("state=", "state=x")
    html = back_at_pgo(client, forged).get_data(as_text=True)
    assert "Koppelen is niet gelukt" in html and "is niet geldig" in html
    assert count(db_session, RecordResource) == 0 and count(db_session, ProviderConnection) == 0
    # The flow is used up: the real answer afterwards is not accepted either.
    assert "Koppelen is niet gelukt" in back_at_pgo(client, location).get_data(as_text=True)


def test_consent_refused(client, sandbox, patient, db_session):
    html = back_at_pgo(client, at_sandbox(connect(client), allow=False)).get_data(as_text=True)
    assert "geen toestemming" in html.lower() or "toestemming" in html
    assert "Uw eerdere gegevens zijn niet veranderd." in html
    assert count(db_session, RecordResource) == 0


def test_provider_down_keeps_earlier_imports(client, sandbox, patient, db_session, token):
    back_at_pgo(client, at_sandbox(connect(client)))
    before = count(db_session, RecordResource)
    behave(sandbox, failure="down")
    html = client.post(
        "/records/providers/sandbox/fetch", data={"csrf_token": token("/records/providers")}, follow_redirects=True
    ).get_data(as_text=True)
    assert "niet bereiken" in html and count(db_session, RecordResource) == before > 0
    behave(sandbox, failure="")
    assert "De vorige keer:" in client.get("/records/providers").get_data(as_text=True)


def test_expired_tokens_and_failed_refresh_ask_to_connect_again(client, sandbox, patient, db_session, token):
    back_at_pgo(client, at_sandbox(connect(client)))
    behave(sandbox, tokens="revoke")
    html = client.post(
        "/records/providers/sandbox/fetch", data={"csrf_token": token("/records/providers")}, follow_redirects=True
    ).get_data(as_text=True)
    assert "ingetrokken" in html and "Koppel opnieuw" in html and "verlopen" not in html
    page = client.get("/records/providers").get_data(as_text=True)
    assert "Toestemming ingetrokken" in page and "Opnieuw toestemming nodig" not in page


def test_a_connection_without_a_patient_says_the_provider_decides(client, sandbox, patient, db_session):
    """#24: no SMART `patient` in the token response: searches go out unfiltered, and the patient is told."""
    back_at_pgo(client, at_sandbox(connect(client)))
    page = client.get("/records/providers").get_data(as_text=True)
    assert "bepaalt welke" not in page
    connection = db_session.execute(select(ProviderConnection)).scalar_one()
    connection.patient_reference = None
    db_session.commit()
    page = client.get("/records/providers").get_data(as_text=True)
    assert "Zorgaanbieder Sandbox bepaalt welke gegevens het stuurt" in page


def test_garbage_from_the_provider_changes_nothing(client, sandbox, patient, db_session):
    behave(sandbox, failure="garbage")
    html = back_at_pgo(client, at_sandbox(connect(client))).get_data(as_text=True)
    assert "niet konden lezen" in html and count(db_session, RecordResource) == 0


def test_unknown_provider_and_roles(client, sandbox, make_user, sign_in):
    make_user("doc@example.nl", role="clinician")
    sign_in("doc@example.nl")
    assert client.get("/records/providers").status_code == 403
    assert client.get("/records/providers/sandbox/connect").status_code == 403


def test_unknown_provider_is_404(client, sandbox, patient):
    assert client.get("/records/providers/nowhere/connect").status_code == 404


def test_callback_without_a_flow(client, sandbox, patient):
    html = client.get("/records/providers/callback?code=x&state=y", follow_redirects=True).get_data(as_text=True)
    assert "Koppelen is niet gelukt" in html
