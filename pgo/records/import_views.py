"""Bringing records in and taking them out: upload files, download the whole record, connect care providers.

Thin views: each action calls one domain function (``import_paths``, ``export_bundle``, ``begin_connection`` /
``finish_connection`` + ``save_connection`` + ``sync_provider``) and redirects to a report page (POST/redirect/GET);
the report travels in the signed session cookie as a small summary.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.datastructures import FileStorage

from pgo.accounts.patient_views import patient_in_view
from pgo.i18n import _, _l, current_locale
from pgo.records.export import export_bundle
from pgo.records.import_jobs import create_job, find_job, progress_of, run_job
from pgo.records.import_report import as_summary, report_view
from pgo.records.import_runner import BackgroundImports, job_folder
from pgo.records.importing import Refusal
from pgo.records.providers import begin_connection, configured_providers, finish_connection, save_connection
from pgo.records.providers.config import find_provider
from pgo.records.providers.errors import ProviderError, error_message
from pgo.records.providers.service import sync_provider
from pgo.records.providers.status import provider_overview
from pgo.web.access import patient_only
from pgo.web.database import get_engine, get_session
from pgo.web.navigation import NavItem
from pgo.web.request import is_htmx

bp = Blueprint("imports", __name__, url_prefix="/records")

NAV = [NavItem("imports.upload", _l("Add records"), ("patient",), icon="upload")]

MAX_FILES = 20
ACCEPTED = (".json", ".xml", ".ndjson")
REPORT_KEY = "import_report"
FLOW_KEY = "provider_flow"
PROVIDER_RESULT_KEY = "provider_result"


def _safe_name(raw: str | None, number: int) -> str:
    """A file name that is safe on disk and readable in the report (no folders, no odd characters)."""
    name = Path((raw or "").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")[:120]
    return name or f"file-{number}"


def _records_link() -> str:
    return url_for("records.index") if "records.index" in current_app.view_functions else "/records"


@bp.get("/import")
@patient_only
def upload():
    patient_in_view(None, category="records", what="view:import")
    return render_template("imports/upload.html", errors=[], max_files=MAX_FILES)


@bp.post("/import")
@patient_only
def upload_post():
    patient = patient_in_view(None, category="records", what="import:files")
    files = [f for f in request.files.getlist("files") if f and f.filename]
    problem = None
    if not files:
        problem = _("Choose one or more files to import.")
    elif len(files) > MAX_FILES:
        problem = _("Choose at most %(n)s files at a time.", n=MAX_FILES)
    if problem:
        errors = [("files", problem)]
        return render_template("imports/upload.html", errors=errors, max_files=MAX_FILES), 400
    db = get_session()
    db.commit()  # the access-log line first: the import runs in transactions of its own (#17)
    saved = _uploads() / uuid.uuid4().hex
    paths, refused = _save_uploads(saved, files)
    job = create_job(session=db, user_id=patient.id, paths=paths)
    db.commit()
    folder = saved.rename(job_folder(_uploads(), job.id))  # the job's own: cleaned up with it after a crash
    paths = [folder / path.relative_to(saved) for path in paths]
    if sum(path.stat().st_size for path in paths) >= current_app.config["PGO_IMPORT_BACKGROUND_BYTES"]:
        _runner().submit(
            engine=get_engine(), job_id=job.id, paths=paths, folder=folder, lang=current_locale(), refused=refused
        )
        return redirect(url_for("imports.job", job_id=job.id), 303)
    try:
        report = run_job(engine=get_engine(), job_id=job.id, paths=paths, refused=refused)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    session[REPORT_KEY] = as_summary(report)
    return redirect(url_for("imports.report"), 303)


def _uploads() -> Path:
    return Path(current_app.instance_path) / "import-uploads"


def _runner() -> BackgroundImports:
    return current_app.extensions.setdefault("pgo_background_imports", BackgroundImports())


def _save_uploads(folder: Path, files: list[FileStorage]) -> tuple[list[Path], list[Refusal]]:
    """Save the files in a private folder of their own; those of a type pgo does not read are refused."""
    refused: list[Refusal] = []
    paths: list[Path] = []
    used: set[str] = set()
    folder.mkdir(parents=True, mode=0o700)
    for number, upload in enumerate(files, start=1):
        name = _safe_name(upload.filename, number)
        if not name.lower().endswith(ACCEPTED):
            refused.append(Refusal(name, _("%(file)s is not a JSON, XML or NDJSON file.", file=name)))
            continue
        if name in used:  # the same name twice: keep both, in their own sub-folders
            os.mkdir(folder / str(number))
            name = f"{number}/{name}"
        used.add(name)
        target = folder / name
        upload.save(target)
        paths.append(target)
    return paths, refused


@bp.get("/import/jobs/<int:job_id>")
@patient_only
def job(job_id: int):
    """A background import: its progress while it runs (the page refreshes itself, or htmx asks again), then its
    report or what went wrong. Only the person who uploaded it finds it."""
    patient = patient_in_view(None, category="records", what="view:import-report")
    found = find_job(session=get_session(), user_id=patient.id, job_id=job_id)
    if found is None:
        abort(404)
    running = found.state in ("queued", "running")
    if is_htmx():
        if not running:
            return Response(status=204, headers={"HX-Refresh": "true"})  # the whole page: a new heading
        return render_template("imports/_job_progress.html", job=found, progress=progress_of(found))
    report = report_view(found.report) if found.state == "done" and found.report else None
    return render_template(
        "imports/job.html",
        job=found,
        running=running,
        progress=progress_of(found),
        report=report,
        records_url=_records_link(),
    )


@bp.get("/import/report")
@patient_only
def report():
    patient_in_view(None, category="records", what="view:import-report")
    summary = session.get(REPORT_KEY)
    if summary is None:
        return redirect(url_for("imports.upload"))
    return render_template("imports/report.html", report=report_view(summary), records_url=_records_link())


@bp.get("/export")
@patient_only
def export():
    patient = patient_in_view(None, category="records", what="export:records")
    bundle = export_bundle(session=get_session(), user_id=patient.id)
    response = Response(json.dumps(bundle, ensure_ascii=False), mimetype="application/fhir+json")
    response.headers["Content-Disposition"] = 'attachment; filename="pgo-record.json"'
    return response


# Care providers -------------------------------------------------------------------------------------------------


def _providers():
    keys = ("PGO_PROVIDERS_FILE", "PGO_SANDBOX_URL", "PGO_SANDBOX_CLIENT_ID", "PGO_SANDBOX_CLIENT_SECRET")
    environ = {**os.environ, **{k: str(current_app.config[k]) for k in keys if current_app.config.get(k)}}
    return configured_providers(environ)


def _provider_or_404(provider_id: str):
    provider = find_provider(_providers(), provider_id)
    if provider is None:
        abort(404)
    return provider


def _callback_url() -> str:
    return current_app.config.get("PGO_PROVIDER_CALLBACK_URL") or url_for("imports.callback", _external=True)


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
    provider = _provider_or_404(provider_id)
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
    return _sync(patient.id, _provider_or_404(provider_id))


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
    from pgo.records.providers.outbox import send_waiting

    send_waiting(session=db, user_id=user_id, provider=provider, secret_key=current_app.config["SECRET_KEY"])
    db.commit()


def _show_result(result: dict):
    session[PROVIDER_RESULT_KEY] = result
    return redirect(url_for("imports.provider_result"), 303)


@bp.get("/providers/result")
@patient_only
def provider_result():
    patient_in_view(None, category="records", what="view:import-report")
    result = session.get(PROVIDER_RESULT_KEY)
    if result is None:
        return redirect(url_for("imports.providers"))
    shown = report_view(result["report"]) if result.get("ok") else None
    return render_template("imports/provider_result.html", result=result, report=shown, records_url=_records_link())
