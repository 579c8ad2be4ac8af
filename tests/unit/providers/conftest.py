"""A running sandbox care provider on loopback, and helpers to walk its sign-in and consent pages."""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from pgo.accounts.service import create_user
from pgo.providers.config import sandbox_provider
from pgo.sandbox import create_sandbox_app

REDIRECT_URI = "http://127.0.0.1:1/records/providers/callback"  # never contacted: the test reads the redirect


@pytest.fixture(scope="module")
def sandbox_url():
    app = create_sandbox_app({"SANDBOX_REDIRECT_URIS": [REDIRECT_URI], "SANDBOX_TEST_CONTROLS": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def sandbox(sandbox_url):
    """The sandbox, behaving normally at the start and the end of each test."""
    set_behaviour(sandbox_url, failure="", token_delay="0")
    yield sandbox_url
    set_behaviour(sandbox_url, failure="", token_delay="0")


@pytest.fixture
def provider(sandbox):
    return sandbox_provider(sandbox)


@pytest.fixture
def patient(session):
    user = create_user(session=session, email="anna@example.nl", password="a long password 123", role="patient")
    session.flush()
    return user


def set_behaviour(base_url: str, **form: str) -> dict:
    answer = requests.post(f"{base_url}/_sandbox/behaviour", data=form, timeout=5)
    answer.raise_for_status()
    return answer.json()


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def consent_at_sandbox(authorize_url: str, *, username: str = "johan", allow: bool = True) -> dict[str, str]:
    """Sign in and answer the consent page like a patient; returns the callback's query parameters."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=5)
    assert page.status_code == 200 and "Inloggen" in page.text
    form = {**hidden_fields(page.text), "username": username, "password": "sandbox"}
    page = browser.post(authorize_url, data=form, timeout=5)
    assert page.status_code == 200 and "Toestemming geven" in page.text
    form = {**hidden_fields(page.text), "action": "allow" if allow else "refuse"}
    answer = browser.post(authorize_url, data=form, timeout=5, allow_redirects=False)
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def redirect_uri() -> str:
    return REDIRECT_URI


@pytest.fixture
def consent():
    """The patient's part at the provider: ``consent(authorize_url, username=..., allow=...)`` -> callback query."""
    return consent_at_sandbox


@pytest.fixture
def connect(consent):
    """The whole connection: begin, consent at the sandbox, finish. Returns the TokenSet."""
    from pgo.providers import begin_connection, finish_connection

    def run(provider, username: str = "johan"):
        url, state, verifier = begin_connection(provider, REDIRECT_URI)
        callback = consent(url, username=username)
        return finish_connection(
            provider,
            REDIRECT_URI,
            code=callback.get("code"),
            state=callback.get("state"),
            expected_state=state,
            code_verifier=verifier,
            iss=callback.get("iss"),
        )

    return run


@pytest.fixture
def behave(sandbox):
    """Switch the sandbox's behaviour: ``behave(failure="down")``, ``behave(tokens="expire")``."""
    return lambda **form: set_behaviour(sandbox, **form)
