"""Bringing records in and taking them out: upload files, download the whole record (connecting care providers:
pgo.providers.views, #19 2026-12-03).

Thin views: each action calls one domain function (``import_paths``, ``export_bundle``) and redirects to a report
page (POST/redirect/GET); the report travels in the signed session cookie as a small summary.
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
from pgo.web.access import patient_only
from pgo.web.database import get_engine, get_session
from pgo.web.navigation import NavItem
from pgo.web.request import is_htmx

bp = Blueprint("imports", __name__, url_prefix="/records")

NAV = [NavItem("imports.upload", _l("Add records"), ("patient",), icon="upload", also=("providers",))]

MAX_FILES = 20
ACCEPTED = (".json", ".xml", ".ndjson")
REPORT_KEY = "import_report"


def _safe_name(raw: str | None, number: int) -> str:
    """A file name that is safe on disk and readable in the report (no folders, no odd characters)."""
    name = Path((raw or "").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")[:120]
    return name or f"file-{number}"


def records_link() -> str:
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
        records_url=records_link(),
    )


@bp.get("/import/report")
@patient_only
def report():
    patient_in_view(None, category="records", what="view:import-report")
    summary = session.get(REPORT_KEY)
    if summary is None:
        return redirect(url_for("imports.upload"))
    return render_template("imports/report.html", report=report_view(summary), records_url=records_link())


@bp.get("/export")
@patient_only
def export():
    patient = patient_in_view(None, category="records", what="export:records")
    bundle = export_bundle(session=get_session(), user_id=patient.id)
    response = Response(json.dumps(bundle, ensure_ascii=False), mimetype="application/fhir+json")
    response.headers["Content-Disposition"] = 'attachment; filename="pgo-record.json"'
    return response
