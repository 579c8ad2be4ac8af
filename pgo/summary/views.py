"""'My health on one page' (issue #21): the summary to print or take along, and the patient's notes on it."""

from __future__ import annotations

import json

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, url_for

from pgo.i18n import _, _l
from pgo.summary import ips, notes
from pgo.summary.forms import NoteForm
from pgo.summary.health import LANGUAGES, WORDINGS, health_summary
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.patients import patient_in_view
from pgo.web.preferences import current_preferences

bp = Blueprint("summary", __name__, url_prefix="/summary")

NAV = [NavItem("summary.page", _l("My health on one page"), ("patient",), icon="heart")]


def _patient():
    return patient_in_view(None, category="records", what="view:records")


def _choices() -> tuple[str, str]:
    lang = request.args.get("lang") or g.get("locale", "nl")
    wording = request.args.get("wording", "patient")
    return (lang if lang in LANGUAGES else "nl"), (wording if wording in WORDINGS else "patient")


def _render(form: NoteForm, status: int = 200):
    patient = _patient()
    lang, wording = _choices()
    summary = health_summary(
        session=get_session(), user_id=patient.id, lang=lang, wording=wording,
        level=str(current_preferences().reading_level),
    )  # fmt: skip
    return render_template("summary/page.html", summary=summary, form=form, lang=lang, wording=wording), status


@bp.get("")
@patient_only
def page():
    patient = _patient()
    form = NoteForm(text=notes.note_of(session=get_session(), user_id=patient.id))
    return _render(form)


@bp.post("/note")
@patient_only
def note():
    patient = _patient()
    form = NoteForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    session = get_session()
    try:
        notes.keep_note(session=session, user_id=patient.id, text=form.text.data or "")
    except notes.NoteTooLong as error:
        form.text.errors = [str(error)]
        return _render(form, 400)
    session.commit()
    flash(_("Your note is saved. It is on your summary."))
    return redirect(url_for("summary.page", **request.args) + "#note")


@bp.get("/ips.json")
@patient_only
def ips_download():
    """The summary as an International Patient Summary (FHIR R4 document Bundle), to save or give to a doctor."""
    patient = _patient()
    bundle = ips.ips_bundle(session=get_session(), user_id=patient.id)
    response = make_response(json.dumps(bundle, ensure_ascii=False, indent=1))
    response.headers["Content-Type"] = "application/fhir+json; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="patient-summary-ips.json"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
