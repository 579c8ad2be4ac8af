"""Connecting a care provider and fetching from it (#19, 2026-12-03: from pgo.records.import_views).

Thin views: ``begin_connection`` -> redirect; on the callback ``finish_connection`` + ``save_connection`` +
``sync_provider`` -> a report page (POST/redirect/GET); the report travels in the signed session cookie as a small
summary.
"""

from __future__ import annotations

import os

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from pgo.accounts.patient_views import patient_in_view
from pgo.i18n import _
from pgo.providers import begin_connection, configured_providers, finish_connection, save_connection
from pgo.providers.config import find_provider
from pgo.providers.errors import ProviderError, error_message
from pgo.providers.service import sync_provider
from pgo.providers.status import provider_overview
from pgo.records.import_report import as_summary, report_view
from pgo.records.import_views import records_link
from pgo.web.access import patient_only
from pgo.web.database import get_session

bp = Blueprint("providers", __name__, url_prefix="/records")

FLOW_KEY = "provider_flow"
PROVIDER_RESULT_KEY = "provider_result"


def _providers():
    keys = ("PGO_PROVIDERS_FILE", "PGO_SANDBOX_URL", "PGO_SANDBOX_CLIENT_ID", "PGO_SANDBOX_CLIENT_SECRET")
    environ = {**os.environ, **{k: str(current_app.config[k]) for k in keys if current_app.config.get(k)}}
    return configured_providers(environ)


def provider_or_404(provider_id: str):
    provider = find_provider(_providers(), provider_id)
    if provider is None:
        abort(404)
    return provider


def _callback_url() -> str:
    return current_app.config.get("PGO_PROVIDER_CALLBACK_URL") or url_for("providers.callback", _external=True)


@bp.get("/providers")
@patient_only
def providers():
    patient = patient_in_view(None, category="records", what="view:providers")
    rows = provider_overview(session=get_session(), user_id=patient.id, providers=_providers())
    return render_template("imports/providers.html", providers=rows)


@bp.get("/providers/<provider_id>/connect")
@patient_only
def connect(provider_id: str):
    """A GET link (not a form): the CSP's form-action would block a form's redirect to the provider."""
    provider = provider_or_404(provider_id)
    url, state, verifier = begin_connection(provider, _callback_url())
    session[FLOW_KEY] = {"provider": provider.id, "state": state, "verifier": verifier}
    return redirect(url)


@bp.get("/providers/callback")
@patient_only
def callback():
    patient = patient_in_view(None, category="records", what="import:provider")
    flow = session.pop(FLOW_KEY, None) or {}
    provider = find_provider(_providers(), str(flow.get("provider", "")))
    if provider is None:
        return _show_result(
            {"ok": False, "message": _("This link to connect a care provider is not valid. Start again.")}
        )
    try:
        tokens = finish_connection(
            provider,
            _callback_url(),
            code=request.args.get("code"),
            state=request.args.get("state"),
            expected_state=str(flow.get("state", "")),
            code_verifier=str(flow.get("verifier", "")),
            error=request.args.get("error"),
            iss=request.args.get("iss"),
        )
    except ProviderError as error:
        return _show_result({"ok": False, "provider": provider.name, "message": error.message()})
    db = get_session()
    save_connection(
        session=db, user_id=patient.id, provider=provider, tokens=tokens, secret_key=current_app.config["SECRET_KEY"]
    )
    db.commit()
    return _sync(patient.id, provider)


@bp.post("/providers/<provider_id>/fetch")
@patient_only
def fetch(provider_id: str):
    patient = patient_in_view(None, category="records", what="import:provider")
    return _sync(patient.id, provider_or_404(provider_id))


def _sync(user_id: int, provider):
    db = get_session()
    result = sync_provider(session=db, user_id=user_id, provider=provider, secret_key=current_app.config["SECRET_KEY"])
    db.commit()
    if not result.ok:
        message = result.message or error_message("rejected", provider.name)
        return _show_result({"ok": False, "provider": provider.name, "provider_id": provider.id, "message": message})
    _send_waiting(db, user_id, provider)
    summary = as_summary(result.imported, source=provider.name)
    return _show_result({"ok": True, "provider": provider.name, "report": summary})


def _send_waiting(db, user_id: int, provider) -> None:
    """While pgo talks to the provider: what waits to be sent goes too, and so do a measurement plan's new readings
    when the patient chose that (#20). A failure here never spoils the fetch: it waits for the next time."""
    from pgo.providers.outbox import send_waiting

    send_waiting(session=db, user_id=user_id, provider=provider, secret_key=current_app.config["SECRET_KEY"])
    db.commit()


def _show_result(result: dict):
    session[PROVIDER_RESULT_KEY] = result
    return redirect(url_for("providers.provider_result"), 303)


@bp.get("/providers/result")
@patient_only
def provider_result():
    patient_in_view(None, category="records", what="view:import-report")
    result = session.get(PROVIDER_RESULT_KEY)
    if result is None:
        return redirect(url_for("providers.providers"))
    shown = report_view(result["report"]) if result.get("ok") else None
    return render_template("imports/provider_result.html", result=result, report=shown, records_url=records_link())
