"""`create_sandbox_app`: a demonstration care provider with an OAuth2 server, sign-in, consent and a FHIR API."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from authlib.oauth2 import OAuth2Error
from flask import Flask, Response, abort, render_template, request, session

from pgo.sandbox.fhir_api import create_fhir_blueprint, outcome
from pgo.sandbox.oauth import READ_SCOPE, WRITE_SCOPE, create_authorization_server, smart_configuration
from pgo.sandbox.receiving import Inbox
from pgo.sandbox.records import DEMO_PASSWORD, DEMO_PATIENTS, find_patient
from pgo.sandbox.storage import make_storage, register_client

SMART_CONFIGURATION = "/fhir/.well-known/smart-configuration"
# refuse-writes: every create answers 503 (nothing stored); lose-answers: stored, but the client gets a 503 (#20)
FAILURES = ("", "garbage", "html", "down", "expired-tokens", "refuse-writes", "lose-answers", "refuse-task-updates")
DEFAULTS = {
    "SANDBOX_CLIENT_ID": "pgo-demo",
    "SANDBOX_CLIENT_SECRET": "pgo-demo-secret",
    "SANDBOX_REDIRECT_URIS": ["http://127.0.0.1:5000/records/providers/callback"],
    "SANDBOX_DATABASE_URL": "sqlite://",
    "SANDBOX_FAILURE": "",
    "SANDBOX_TOKEN_LIFETIME": 3600,
    "SANDBOX_TEST_CONTROLS": False,
    "SANDBOX_NAME": "Zorgaanbieder Sandbox",
    "SANDBOX_JWT_CLIENT_ID": "pgo-demo-jwt",
    "SANDBOX_JWT_PUBLIC_KEY": "",
}


@dataclass
class Behaviour:
    """How the sandbox (mis)behaves right now; tests switch it through /_sandbox/behaviour when allowed."""

    failure: str = ""
    token_lifetime: int = 3600
    token_delay: float = 0.0  # seconds the token endpoint waits before answering (the concurrency test, #24)
    refreshes: int = 0  # refresh requests seen since the last reset

    @property
    def effective_lifetime(self) -> int:
        # Authlib leaves out expires_in when it is 0; -1 makes every new token expired on arrival.
        return -1 if self.failure == "expired-tokens" else self.token_lifetime


def create_sandbox_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config.update(DEFAULTS)
    app.config["SECRET_KEY"] = secrets.token_urlsafe(32)
    app.config.update(config or {})
    if app.config["SANDBOX_FAILURE"] not in FAILURES:
        raise ValueError(f"SANDBOX_FAILURE must be one of {FAILURES}")
    behaviour = Behaviour(app.config["SANDBOX_FAILURE"], int(app.config["SANDBOX_TOKEN_LIFETIME"]))
    app.extensions["sandbox_behaviour"] = behaviour
    engine, db = make_storage(app.config["SANDBOX_DATABASE_URL"])
    app.extensions["sandbox_db"] = db
    register_client(
        db(),
        client_id=app.config["SANDBOX_CLIENT_ID"],
        client_secret=app.config["SANDBOX_CLIENT_SECRET"],
        redirect_uris=list(app.config["SANDBOX_REDIRECT_URIS"]),
        scope=f"{READ_SCOPE} {WRITE_SCOPE}",
    )
    if app.config["SANDBOX_JWT_PUBLIC_KEY"]:  # a second client that signs in with private_key_jwt (#24)
        register_client(
            db(),
            client_id=app.config["SANDBOX_JWT_CLIENT_ID"],
            client_secret="",
            redirect_uris=list(app.config["SANDBOX_REDIRECT_URIS"]),
            scope=f"{READ_SCOPE} {WRITE_SCOPE}",
            public_key=app.config["SANDBOX_JWT_PUBLIC_KEY"],
        )
    db.remove()
    server, protector = create_authorization_server(app, db, _LifetimeView(behaviour))
    app.extensions["sandbox_inbox"] = Inbox()
    app.register_blueprint(create_fhir_blueprint(protector, READ_SCOPE, WRITE_SCOPE))
    _add_pages(app, server, behaviour)
    _add_failures(app, behaviour)
    _add_inbox(app)
    app.teardown_appcontext(lambda _exc: db.remove())
    return app


class _LifetimeView:
    """What the token generator reads: the lifetime that applies at this moment."""

    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour

    @property
    def token_lifetime(self) -> int:
        return self._behaviour.effective_lifetime


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(16)
    return session["csrf"]


def _add_pages(app: Flask, server, behaviour: Behaviour) -> None:
    app.jinja_env.globals["csrf_token"] = _csrf_token
    app.jinja_env.globals["name"] = app.config["SANDBOX_NAME"]

    @app.get("/favicon.ico")
    def favicon() -> Response:  # browsers ask for it by themselves; no 404 in their console
        return Response(status=204)

    @app.get("/")
    def home() -> str:
        return render_template("home.html", name=app.config["SANDBOX_NAME"], patients=DEMO_PATIENTS)

    @app.route("/oauth/authorize", methods=["GET", "POST"])
    def authorize():
        try:
            grant = server.get_consent_grant(end_user=find_patient(session.get("user", "")))
        except OAuth2Error as error:
            return render_template("error.html", error=error.description or error.error), 400
        if request.method == "GET":
            return _signin_or_consent(app, grant)
        if request.form.get("csrf") != session.get("csrf"):
            abort(400)
        action = request.form.get("action")
        if action == "signin":
            return _sign_in(app, grant)
        patient = find_patient(session.get("user", ""))
        if patient is None:
            return _signin_or_consent(app, grant)
        return server.create_authorization_response(grant_user=patient if action == "allow" else None, grant=grant)

    @app.post("/oauth/token")
    def issue_token():
        return server.create_token_response()

    @app.get(SMART_CONFIGURATION)
    def smart_configuration_document():
        if app.config.get("SANDBOX_INTROSPECTION_URL"):  # another server issues the tokens: its own metadata
            abort(404)
        return smart_configuration()


def _signin_or_consent(app: Flask, grant, error: str = "", status: int = 200):
    patient = find_patient(session.get("user", ""))
    name = app.config["SANDBOX_NAME"]
    if patient is None:
        return render_template("signin.html", name=name, error=error), status
    return render_template("consent.html", name=name, patient=patient, client=grant.client, scope=grant.request.scope)


def _sign_in(app: Flask, grant):
    patient = find_patient(request.form.get("username", "").strip())
    if patient is None or not secrets.compare_digest(request.form.get("password", ""), DEMO_PASSWORD):
        return _signin_or_consent(app, grant, error="De gebruikersnaam of het wachtwoord klopt niet.", status=400)
    session["user"] = patient.username
    return _signin_or_consent(app, grant)


def _add_failures(app: Flask, behaviour: Behaviour) -> None:
    @app.before_request
    def misbehave() -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        if behaviour.failure == "down":
            return Response("Service unavailable", status=503, mimetype="text/plain")
        if request.path == "/oauth/token":
            behaviour.refreshes += request.form.get("grant_type") == "refresh_token"
            time.sleep(behaviour.token_delay)
        if request.path.startswith("/fhir/") and request.path not in ("/fhir/metadata", SMART_CONFIGURATION):
            if behaviour.failure == "garbage":
                return Response('{"totally": "not FHIR", "entry": 42}', mimetype="application/fhir+json")
            if behaviour.failure == "html":
                return Response("<html><body><h1>Onderhoud</h1></body></html>", mimetype="text/html")
        return None

    @app.post("/_sandbox/behaviour")
    def set_behaviour():
        """Test-only switch (SANDBOX_TEST_CONTROLS): failure mode, expiring or revoking issued tokens, and a delay of
        the token endpoint (setting it restarts the count of refresh requests; the answer tells the count before)."""
        if not app.config["SANDBOX_TEST_CONTROLS"]:
            abort(404)
        failure = request.form.get("failure", behaviour.failure)
        if failure not in FAILURES:
            return outcome(400, "invalid", "unknown failure mode")
        behaviour.failure = failure
        seen = behaviour.refreshes
        if "token_delay" in request.form:
            behaviour.token_delay = min(max(float(request.form["token_delay"] or 0), 0.0), 10.0)
            behaviour.refreshes = 0
        _expire_or_revoke(app, request.form.get("tokens", ""))
        return {"failure": behaviour.failure, "token_delay": behaviour.token_delay, "refreshes": seen}


def _add_inbox(app: Flask) -> None:
    @app.route("/_sandbox/received", methods=["GET", "DELETE"])
    def received():
        """Test-only (SANDBOX_TEST_CONTROLS): what was sent to the sandbox for one patient (``?user=``); DELETE
        forgets everything (#20)."""
        if not app.config["SANDBOX_TEST_CONTROLS"]:
            abort(404)
        inbox = app.extensions["sandbox_inbox"]
        if request.method == "DELETE":
            inbox.clear()
            return {"received": []}
        user = request.args.get("user", "")
        return {"received": inbox.for_user(user), "tasks": list(inbox.tasks_for(user).values())}


def _expire_or_revoke(app: Flask, what: str) -> None:
    from pgo.sandbox.storage import SandboxToken

    db = app.extensions["sandbox_db"]
    if what in ("expire", "revoke"):
        db.query(SandboxToken).update({SandboxToken.issued_at: 0})
    if what == "revoke":
        db.query(SandboxToken).update({SandboxToken.refresh_token_revoked_at: 1})
    db.commit()
