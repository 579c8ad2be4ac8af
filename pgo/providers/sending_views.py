"""Sending to a connected care provider (#20, 2026-12-03): permission, what to send, what was sent.

Thin views: each POST calls one function of ``pgo.providers.outbox`` and redirects back to the page
(POST/redirect/GET) with a short message; the page shows what waits and what was sent, with the reason.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from pgo.accounts.patient_views import patient_in_view
from pgo.i18n import _
from pgo.providers import outbox
from pgo.providers.errors import error_message
from pgo.providers.models import DECISIONS, MEASUREMENTS, QUESTIONNAIRES
from pgo.providers.sending import SendNotAllowed, items_for, send_consent, set_send_consent
from pgo.providers.sending_forms import PeriodForm, PermissionForm
from pgo.providers.service import get_connection
from pgo.providers.views import provider_or_404
from pgo.web.access import patient_only
from pgo.web.database import get_session

bp = Blueprint("sending", __name__, url_prefix="/records/providers")

SHOWN_ITEMS = 50  # the newest items sent or waiting


def _page(provider_id: str, period: PeriodForm | None = None, status: int = 200):
    patient = patient_in_view(None, category="records", what="view:providers")
    provider = provider_or_404(provider_id)
    db = get_session()
    connection = get_connection(session=db, user_id=patient.id, provider_id=provider.id)
    consents = {c: send_consent(session=db, user_id=patient.id, provider_id=provider.id, category=c)
                for c in (MEASUREMENTS, QUESTIONNAIRES, DECISIONS)}  # fmt: skip
    permission = PermissionForm(
        formdata=None,
        measurements=bool(consents[MEASUREMENTS] and consents[MEASUREMENTS].allowed),
        automatic=bool(consents[MEASUREMENTS] and consents[MEASUREMENTS].automatic),
        questionnaires=bool(consents[QUESTIONNAIRES] and consents[QUESTIONNAIRES].allowed),
        decisions=bool(consents[DECISIONS] and consents[DECISIONS].allowed),
    )
    items = items_for(session=db, user_id=patient.id, provider_id=provider.id, limit=SHOWN_ITEMS)
    context = {
        "provider": provider,
        "connected": connection is not None and connection.access_token_encrypted is not None,
        "permission": permission,
        "allowed": {c: bool(v and v.allowed) for c, v in consents.items()},
        "period": period or PeriodForm(formdata=None),
        **outbox.page_parts(session=db, user_id=patient.id, provider_id=provider.id),  # each kind's part (#19)
        "rows": outbox.sent_rows(session=db, items=items, provider=provider),
    }
    return render_template("imports/sending.html", **context), status


@bp.get("/<provider_id>/sending")
@patient_only
def page(provider_id: str):
    return _page(provider_id)


@bp.post("/<provider_id>/sending/permission")
@patient_only
def permission(provider_id: str):
    patient = patient_in_view(None, category="records", what="view:providers")
    provider = provider_or_404(provider_id)
    form = PermissionForm()
    if not form.validate():
        abort(400)
    db = get_session()
    for category, allowed in ((MEASUREMENTS, form.measurements.data), (QUESTIONNAIRES, form.questionnaires.data),
                              (DECISIONS, form.decisions.data)):  # fmt: skip
        set_send_consent(session=db, user_id=patient.id, provider_id=provider.id, category=category,
                         allowed=bool(allowed), automatic=bool(form.automatic.data))  # fmt: skip
    db.commit()
    flash(_("Your choices for %(provider)s are saved.", provider=provider.name))
    return redirect(url_for("sending.page", provider_id=provider.id), 303)


@bp.post("/<provider_id>/sending/send")
@patient_only
def send(provider_id: str):
    """Send one reading, the readings of a period, one questionnaire's or one decision aid's answers."""
    patient = patient_in_view(None, category="records", what="view:providers")
    provider = provider_or_404(provider_id)
    db, secret = get_session(), current_app.config["SECRET_KEY"]
    what = request.form.get("what", "")
    try:
        if what == "period":
            form = PeriodForm()
            span = _period(form)
            if span is None:
                return _page(provider.id, form, 400)
            count, report = outbox.send("measurement", session=db, user_id=patient.id, provider=provider,
                                        secret_key=secret, days=span)  # fmt: skip
            if count == 0:
                flash(_("There are no measurements to send in that period."))
                return redirect(url_for("sending.page", provider_id=provider.id), 303)
        elif what in ("reading", "questionnaire", "decision"):
            report = _send_one(what, db, patient.id, provider, secret)
        else:
            abort(400)
    except SendNotAllowed:
        flash(_("First allow pgo to send this to %(provider)s.", provider=provider.name), "warning")
        return redirect(url_for("sending.page", provider_id=provider.id), 303)
    db.commit()
    _flash_report(report, provider)
    return redirect(url_for("sending.page", provider_id=provider.id), 303)


# what the form says -> the kind of sendable (pgo.providers.sendables) and how it names the chosen thing
_CHOICES = {"reading": ("measurement", "ids"), "questionnaire": ("questionnaire", "item_id"),
            "decision": ("decision", "item_id")}  # fmt: skip


def _send_one(what: str, db, user_id: int, provider, secret: str):
    try:
        item_id = int(request.form.get("id", ""))
    except ValueError:
        abort(400)
    kind, name = _CHOICES[what]
    try:
        count, report = outbox.send(kind, session=db, user_id=user_id, provider=provider, secret_key=secret,
                                    **{name: [item_id] if name == "ids" else item_id})  # fmt: skip
    except LookupError:
        abort(404)
    if count == 0:
        abort(404)
    return report


@bp.post("/<provider_id>/sending/retry")
@patient_only
def retry(provider_id: str):
    patient = patient_in_view(None, category="records", what="view:providers")
    provider = provider_or_404(provider_id)
    db = get_session()
    report = outbox.send_waiting(session=db, user_id=patient.id, provider=provider,
                                 secret_key=current_app.config["SECRET_KEY"])  # fmt: skip
    db.commit()
    _flash_report(report, provider)
    return redirect(url_for("sending.page", provider_id=provider.id), 303)


def _period(form: PeriodForm):
    """The chosen (first, last) local days, or None with the errors on the form."""
    days = {}
    for field in (form.start, form.end):
        try:
            days[field.name] = date.fromisoformat((field.data or "").strip())
        except ValueError:
            field.errors = [_("Enter a date, for example 1 December 2026.")]
    if len(days) == 2 and days["start"] > days["end"]:
        form.end.errors = [_("The end date must be on or after the start date.")]
    if any(field.errors for field in (form.start, form.end)):
        return None
    return days["start"], days["end"]


def _flash_report(report, provider) -> None:
    if report.sent:
        flash(_("Sent to %(provider)s: %(n)s.", provider=provider.name, n=report.sent))
    if report.error_kind:
        flash(_("Not everything could be sent. %(reason)s It waits and pgo tries again.",
                reason=error_message(report.error_kind, provider.name)), "warning")  # fmt: skip
