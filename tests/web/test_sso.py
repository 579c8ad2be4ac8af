"""Optional OpenID Connect sign-on against a small identity provider running on loopback."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from pgo import create_app

KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})


def identity_provider(claims: dict) -> Flask:
    """Authorisation code + PKCE, ID tokens signed with RS256; `claims` decide who signs in."""
    idp = Flask("idp")
    pending: dict[str, dict] = {}

    @idp.get("/.well-known/openid-configuration")
    def discovery():
        base = request.host_url.rstrip("/")
        return jsonify(
            issuer=base,
            authorization_endpoint=f"{base}/authorize",
            token_endpoint=f"{base}/token",
            jwks_uri=f"{base}/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
        )

    @idp.get("/jwks")
    def jwks():
        return jsonify(keys=[KEY.as_dict(private=False)])

    @idp.get("/authorize")
    def authorize():
        args = request.args
        pending["code-1"] = {"nonce": args.get("nonce"), "challenge": args["code_challenge"], "aud": args["client_id"]}
        return redirect(f"{args['redirect_uri']}?code=code-1&state={args['state']}")

    @idp.post("/token")
    def token():
        grant = pending.pop(request.form["code"], None)
        verifier = request.form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant is None or digest != grant["challenge"]:
            return jsonify(error="invalid_grant"), 400
        now = int(time.time())
        payload = {
            "iss": request.host_url.rstrip("/"),
            "aud": grant["aud"],
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **claims,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, payload, KEY)
        return jsonify(access_token="at", token_type="Bearer", expires_in=300, id_token=id_token)

    return idp


@pytest.fixture
def sso(tmp_path, database_url, make_sso_user):
    claims: dict = {}
    server = make_server("127.0.0.1", 0, identity_provider(claims), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    issuer = f"http://127.0.0.1:{server.server_port}"
    app = create_app(
        {
            "TESTING": True,
            "PGO_DATABASE_URL": database_url,
            "SECRET_KEY": "sso-tests",
            "PGO_INSTANCE_PATH": str(tmp_path / "instance"),
            "SESSION_COOKIE_SECURE": False,
            "PGO_OIDC_ISSUER": issuer,
            "PGO_OIDC_CLIENT_ID": "pgo",
            "PGO_OIDC_CLIENT_SECRET": "secret",
        }
    )
    make_sso_user(app)
    yield app, claims
    server.shutdown()
    app.extensions["pgo_engine"].dispose()


@pytest.fixture
def make_sso_user():
    def make(app):
        from sqlmodel import Session

        from pgo.accounts.service import create_user

        with Session(app.extensions["pgo_engine"]) as session:
            create_user(session=session, email="anna@example.nl", password="lange-zin-123", name="Anna")
            session.commit()

    return make


def sign_on(app) -> tuple:
    client = app.test_client()
    start = client.get("/sign-in/sso?next=/preferences")
    assert start.status_code == 302
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(back.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(callback.query).items()}
    return client, client.get(callback.path, query_string=query)


def test_sign_on_with_a_verified_email_links_the_account(sso):
    app, claims = sso
    claims.update(sub="idp-123", email="Anna@example.nl", email_verified=True)
    client, response = sign_on(app)
    assert response.status_code == 302
    assert response.headers["Location"] == "/preferences"
    assert "Welkom, Anna" in client.get("/").get_data(as_text=True)
    claims.update(email="changed@example.nl")  # later sign-ons match on the remembered subject
    client, response = sign_on(app)
    assert "Welkom, Anna" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "who",
    [
        {"sub": "idp-9", "email": "nobody@example.nl", "email_verified": True},
        {"sub": "idp-9", "email": "anna@example.nl", "email_verified": False},
    ],
)
def test_no_account_no_sign_in(sso, who):
    app, claims = sso
    claims.update(who)
    client, response = sign_on(app)
    assert response.headers["Location"].endswith("/sign-in")
    html = client.get("/sign-in").get_data(as_text=True)
    assert "Er is geen pgo-account voor deze aanmelding." in html
    assert "Welkom" not in client.get("/").get_data(as_text=True)


def test_sign_on_is_off_by_default(client):
    assert client.get("/sign-in/sso").status_code == 404
    assert "sign-in/sso" not in client.get("/sign-in").get_data(as_text=True)
