"""pgo's provider connection against an authorization server pgo did not write (#24, 2026-12-03).

oidc-provider (npm, pinned to major 9, installed at test time into .interop/) issues the tokens: PKCE required,
rotating refresh tokens, opaque access tokens for the sandbox FHIR API, which introspects them (RFC 7662). The
patient's part at the server (sign-in, consent, cancel) is walked through its own pages; pgo's part is the
providers package as the views call it. Node and npm come from the system (Debian: nodejs, npm).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from datetime import timedelta
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from live import demo_app, serving
from sqlmodel import Session
from werkzeug.serving import make_server

from pgo.accounts.service import create_user
from pgo.clock import utcnow
from pgo.providers import ProviderError, begin_connection, finish_connection, save_connection, sync_provider
from pgo.providers.config import Provider
from pgo.providers.crypto import decrypt
from pgo.providers.discovery import forget
from pgo.providers.models import CONNECTED, ProviderConnection

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
INTEROP = ROOT / ".interop"
PACKAGE = "oidc-provider@9"
SERVER_SCRIPT = Path(__file__).parent / "interop" / "authorization_server.mjs"
REDIRECT_URI = "http://127.0.0.1:1/records/providers/callback"  # never contacted: the walk reads the redirect
SECRET = "interop secret key for provider tokens"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _install() -> Path:
    module = INTEROP / "node_modules" / "oidc-provider" / "lib" / "index.js"
    if not module.exists():
        npm = shutil.which("npm")
        assert npm and shutil.which("node"), "the interoperability test needs node and npm (Debian: nodejs npm)"
        subprocess.run(  # noqa: S603 (a fixed command)
            [npm, "install", "--prefix", str(INTEROP), PACKAGE, "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return module


@pytest.fixture(scope="module")
def client_key(tmp_path_factory):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from joserfc.jwk import RSAKey

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path = tmp_path_factory.mktemp("keys") / "pgo.pem"
    path.write_bytes(pem)
    public = RSAKey.import_key(pem).as_dict(private=False)
    return path, public


@pytest.fixture(scope="module")
def servers(tmp_path_factory, client_key):
    """The sandbox FHIR API (tokens introspected at oidc-provider) and oidc-provider itself, on loopback."""
    from pgo.sandbox import create_sandbox_app

    module = _install()
    pgo_folder = tmp_path_factory.mktemp("interop-pgo")
    pgo_app = demo_app(pgo_folder, "browser-tests-interop")
    pgo_live = serving(pgo_app)
    pgo_url = pgo_live.__enter__()
    as_port = _free_port()
    issuer = f"http://127.0.0.1:{as_port}"
    app = create_sandbox_app(
        {
            "SANDBOX_REDIRECT_URIS": [REDIRECT_URI],
            "SANDBOX_INTROSPECTION_URL": f"{issuer}/token/introspection",
            "SANDBOX_INTROSPECTION_CLIENT_ID": "fhir",
            "SANDBOX_INTROSPECTION_CLIENT_SECRET": "fhir-introspection-secret",
        }
    )
    fhir_server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=fhir_server.serve_forever, daemon=True)
    thread.start()
    fhir = f"http://127.0.0.1:{fhir_server.server_port}/fhir"
    settings = tmp_path_factory.mktemp("interop") / "settings.json"
    settings.write_text(
        json.dumps(
            {
                "module": str(module),
                "fhir_base_url": fhir,
                "redirect_uris": [REDIRECT_URI, f"{pgo_url}/records/providers/callback"],
                "client_jwk": client_key[1],
            }
        )
    )
    node = subprocess.Popen(  # noqa: S603 (a fixed command)
        [shutil.which("node"), str(SERVER_SCRIPT), str(as_port), str(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            node.kill()
            pytest.fail(f"oidc-provider did not start: {node.stdout.read()}")
        providers_file = pgo_folder / "providers.json"
        providers_file.write_text(json.dumps([_entry(issuer, fhir)]))
        pgo_app.config["PGO_PROVIDERS_FILE"] = str(providers_file)
        yield {"issuer": issuer, "fhir": fhir, "pgo": pgo_url}
    finally:
        pgo_live.__exit__(None, None, None)
        pgo_app.extensions["pgo_engine"].dispose()
        node.terminate()
        node.wait(timeout=10)
        node.stdout.close()
        fhir_server.shutdown()
        thread.join()


def _entry(issuer: str, fhir: str) -> dict:
    """The provider as an operator writes it in PGO_PROVIDERS_FILE: endpoints left to discovery."""
    return {
        "id": "interop",
        "name": "Ziekenhuis Interop",
        "fhir_base_url": fhir,
        "issuer": issuer,
        "client_id": "pgo",
        "client_secret": "pgo-interop-secret",
        "scopes": "openid offline_access patient/*.read",
        "authorization_params": {"prompt": "consent", "resource": fhir},
    }


@pytest.fixture
def provider(servers):
    forget()
    switch(servers, down="0", delay="0")
    yield Provider(
        id="interop",
        name="Ziekenhuis Interop",
        authorize_url="",  # discovered: the sandbox has no smart-configuration here, the issuer has OpenID's
        token_url="",
        fhir_base_url=servers["fhir"],
        client_id="pgo",
        client_secret="pgo-interop-secret",  # noqa: S106 (the test server's client)
        scopes=("openid", "offline_access", "patient/*.read"),
        authorization_params=(("prompt", "consent"), ("resource", servers["fhir"])),
        issuer=servers["issuer"],
    )
    switch(servers, down="0", delay="0")


def switch(servers, **query: str) -> dict:
    return requests.get(f"{servers['issuer']}/_switch", params=query, timeout=5).json()


def walk(url: str, *, username: str = "johan", allow: bool = True) -> dict[str, str]:
    """The patient at oidc-provider: its sign-in page, then its consent page (or Cancel); the callback's query."""
    browser = requests.Session()
    for _step in range(12):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        while answer.is_redirect:
            url = urljoin(url, answer.headers["Location"])
            if url.startswith(REDIRECT_URI):
                return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
            answer = browser.get(url, allow_redirects=False, timeout=10)
        html = answer.text
        if not allow:
            url = urljoin(url, unescape(re.search(r'href="([^"]*/abort)"', html).group(1)))
            continue
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
        if 'name="login"' in html:
            form.update(login=username, password="interop")
        answer = browser.post(urljoin(url, action), data=form, allow_redirects=False, timeout=10)
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(REDIRECT_URI):
            return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    raise AssertionError("the walk through the authorization server did not end at pgo")


def connect(provider: Provider, **walk_options):
    url, state, verifier = begin_connection(provider, REDIRECT_URI)
    callback = walk(url, **walk_options)
    return finish_connection(
        provider,
        REDIRECT_URI,
        code=callback.get("code"),
        state=callback.get("state"),
        expected_state=state,
        code_verifier=verifier,
        error=callback.get("error"),
        iss=callback.get("iss"),
    )


def counting_import(*, session, user_id, resources, source):
    return len(resources)


@pytest.fixture
def patient(session):
    user = create_user(session=session, email="interop@example.nl", password="a long password 123", role="patient")
    session.commit()
    return user


@pytest.fixture
def connected(session, patient, provider):
    tokens = connect(provider)
    assert tokens.refresh_token and "patient/*.read" in tokens.scope
    connection = save_connection(
        session=session, user_id=patient.id, provider=provider, tokens=tokens, secret_key=SECRET
    )
    session.commit()
    return connection


def sync(session, patient, provider):
    return sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=counting_import
    )


def expire(session, connection) -> None:
    connection.expires_at = utcnow() - timedelta(minutes=1)
    session.add(connection)
    session.commit()


def test_connect_fetch_and_refresh_after_expiry(session, patient, provider, connected):
    first = sync(session, patient, provider)
    assert first.ok and first.total > 10
    old_refresh = connected.refresh_token_encrypted
    expire(session, connected)
    again = sync(session, patient, provider)
    assert again.ok and again.total == first.total
    assert connected.refresh_token_encrypted != old_refresh and connected.status == CONNECTED


def test_two_fetches_after_expiry_keep_the_connection(engine, session, patient, provider, connected, servers):
    expire(session, connected)
    switch(servers, delay="1")
    reports: list = []
    start = threading.Barrier(2)

    def fetch() -> None:
        with Session(engine, expire_on_commit=False) as own:
            start.wait()
            reports.append(sync(own, patient, provider))
            own.commit()

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    switch(servers, delay="0")
    assert [report.error_kind for report in reports] == [None, None]
    session.refresh(connected)
    expire(session, connected)
    assert sync(session, patient, provider).ok, "the rotated grant is still alive"


def test_withdrawn_permission_is_told_as_withdrawn(session, patient, provider, connected, servers):
    refresh_token = decrypt(SECRET, connected.refresh_token_encrypted)
    revoked = requests.post(
        f"{servers['issuer']}/token/revocation",
        data={"token": refresh_token, "token_type_hint": "refresh_token"},
        auth=("pgo", "pgo-interop-secret"),
        timeout=5,
    )
    assert revoked.status_code == 200
    expire(session, connected)
    report = sync(session, patient, provider)
    assert report.error_kind == "permission_withdrawn"


def test_refused_consent(provider):
    with pytest.raises(ProviderError, match="^consent_refused") as refused:
        connect(provider, allow=False)
    assert refused.value.kind == "consent_refused"


def test_token_endpoint_down_loses_nothing(session, patient, provider, connected, servers):
    expire(session, connected)
    switch(servers, down="1")
    report = sync(session, patient, provider)
    assert report.error_kind == "unreachable"
    session.refresh(connected)
    assert connected.status == CONNECTED and connected.refresh_token_encrypted
    switch(servers, down="0")
    assert sync(session, patient, provider).ok


@pytest.mark.parametrize("alg", ["RS256", "RS384"])
def test_a_private_key_jwt_client(session, patient, provider, client_key, alg):
    from dataclasses import replace

    jwt_provider = replace(
        provider,
        client_id="pgo-jwt",
        client_secret="",
        token_endpoint_auth_method="private_key_jwt",
        private_key_file=str(client_key[0]),
        private_key_alg=alg,
    )
    connection = save_connection(
        session=session, user_id=patient.id, provider=jwt_provider, tokens=connect(jwt_provider), secret_key=SECRET
    )
    session.commit()
    expire(session, connection)
    assert sync(session, patient, jwt_provider).ok
    assert session.get(ProviderConnection, connection.id).status == CONNECTED


def test_a_patient_connects_through_pgos_pages_in_a_browser(page, servers):
    """The whole flow in a real browser: pgo's providers page, oidc-provider's sign-in and consent, pgo's report."""
    from browser_pages import Pages

    from pgo.demo import PATIENT_EMAIL

    here = Pages(page, servers["pgo"])
    here.sign_in(PATIENT_EMAIL)
    here.open("/records/providers")
    # Refused first: the patient cancels at the authorization server
    page.get_by_role("link", name="Ziekenhuis Interop koppelen").click()
    page.get_by_role("link", name="[ Cancel ]").click()
    page.wait_for_load_state()
    assert "geen toestemming" in page.get_by_role("main").inner_text()
    # Then she connects: signs in there and allows sharing
    here.open("/records/providers")
    page.get_by_role("link", name="Ziekenhuis Interop koppelen").click()
    page.get_by_placeholder("Enter any login").fill("johan")
    page.get_by_placeholder("and password").fill("interop")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Gegevens van Ziekenhuis Interop"
    assert "nieuwe gegevens toegevoegd" in page.get_by_role("main").inner_text()
    here.open("/records/providers")
    assert "Gekoppeld" in page.get_by_role("main").inner_text()
