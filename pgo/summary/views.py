"""'My health on one page' (issue #21): the summary to print or take along, and the patient's notes on it."""

from __future__ import annotations

import json

import segno
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for

from pgo.accounts.patient_views import patient_in_view
from pgo.clock import utcnow
from pgo.i18n import _, _l
from pgo.summary import ips, notes, sharing
from pgo.summary.forms import CodeForm, NoteForm, ShareForm
from pgo.summary.health import LANGUAGES, WORDINGS, health_summary
from pgo.web.access import patient_only, public
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.request import current_lang, current_level

bp = Blueprint("summary", __name__, url_prefix="/summary")

NAV = [NavItem("summary.page", _l("My health on one page"), ("patient",), icon="heart")]


def _patient():
    return patient_in_view(None, category="records", what="view:records")


def _choices() -> tuple[str, str]:
    lang = request.args.get("lang") or current_lang()
    wording = request.args.get("wording", "patient")
    return (lang if lang in LANGUAGES else "nl"), (wording if wording in WORDINGS else "patient")


def _render(form: NoteForm, status: int = 200):
    patient = _patient()
    lang, wording = _choices()
    summary = health_summary(
        session=get_session(), user_id=patient.id, lang=lang, wording=wording,
        level=str(current_level()),
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


# --- Share by link (SMART Health Links style): pgo.summary.sharing ------------------------------------------


def _share_page(form: ShareForm, status: int = 200, created: sharing.CreatedLink | None = None):
    patient = _patient()
    links = sharing.links_of(session=get_session(), user_id=patient.id)
    context = {"form": form, "links": links, "now": utcnow(), "lang": _choices()[0], "wording": _choices()[1]}
    if created is not None:
        url = url_for("summary.shared", public_id=created.link.public_id, key=created.key, _external=True)
        qr = segno.make(url, error="m").svg_inline(scale=4, border=4, omitsize=False, title=_("QR code of the link"))
        context.update(created=created.link, url=url, qr=qr)
    response = make_response(render_template("summary/share.html", **context), status)
    response.headers["Cache-Control"] = "no-store"  # the page with a new link holds its key: never kept
    return response


@bp.get("/share")
@patient_only
def share():
    return _share_page(ShareForm())


@bp.post("/share")
@patient_only
def share_create():
    patient = _patient()
    form = ShareForm()
    if not form.validate_on_submit():
        return _share_page(form, 400)
    lang, wording = _choices()
    session = get_session()
    created = sharing.create_link(
        session=session, user_id=patient.id, lang=lang, wording=wording,
        level=str(current_level()), days=int(form.days.data), code=form.code.data or "",
        label=form.label.data or "",
    )  # fmt: skip
    session.commit()
    return _share_page(ShareForm(formdata=None), created=created)


@bp.post("/share/<int:link_id>/revoke")
@patient_only
def share_revoke(link_id: int):
    patient = _patient()
    session = get_session()
    if not sharing.revoke_link(session=session, user_id=patient.id, link_id=link_id):
        abort(404)
    session.commit()
    flash(_("The link is stopped. Nobody can open it any more."))
    return redirect(url_for("summary.share"))


def _unavailable(reason: str, form: CodeForm | None = None, status: int = 404, retry_after: int = 0):
    response = make_response(render_template("summary/shared_unavailable.html", reason=reason, form=form), status)
    response.headers["Cache-Control"] = "no-store"
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _open_shared(public_id: str, key: str, form: CodeForm):
    """The opened link, or the kind page to answer instead (the code form when a code is missing or wrong)."""
    code = ""
    if request.method == "POST":
        if not form.validate_on_submit():
            return None, _unavailable("needs_code", form, 400)
        code = form.code.data or ""
    try:
        opened = sharing.open_link(
            session=get_session(), public_id=public_id, key=key, code=code, address=request.remote_addr or "unknown"
        )
    except sharing.Unavailable as refusal:
        if refusal.reason in ("needs_code", "wrong_code"):
            if refusal.reason == "wrong_code":
                form.code.errors = [_("This code is not right. Check it and try again.")]
            return None, _unavailable(refusal.reason, form, 401 if refusal.reason == "wrong_code" else 200)
        status = {"throttled": 429, "expired": 410, "revoked": 410}.get(refusal.reason, 404)
        return None, _unavailable(refusal.reason, status=status, retry_after=refusal.retry_after)
    return opened, None


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/shared/<public_id>/<key>", methods=["GET", "POST"])
@public
def shared(public_id: str, key: str):
    """A shared summary, opened by someone without an account; the key is in the link only."""
    form = CodeForm()
    opened, refusal = _open_shared(public_id, key, form)
    if opened is None:
        return refusal
    return _private(
        make_response(
            render_template(
                "summary/shared.html", summary=opened.summary, made=opened.link.created_at, link=opened.link,
                code=form.code.data or "",
            )
        )
    )  # fmt: skip


@bp.route("/shared/<public_id>/<key>/ips.json", methods=["GET", "POST"])
@public
def shared_ips(public_id: str, key: str):
    """The shared copy as an IPS Bundle, for the doctor's own system (a link with a code sends it again)."""
    opened, refusal = _open_shared(public_id, key, CodeForm())
    if opened is None:
        return refusal
    response = make_response(json.dumps(opened.ips, ensure_ascii=False, indent=1))
    response.headers["Content-Type"] = "application/fhir+json; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="patient-summary-ips.json"'
    return _private(response)
