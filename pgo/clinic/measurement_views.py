"""The clinician's measurement pages (#19: every /clinic/ route lives in pgo.clinic): flagged readings of all
consenting patients, one patient's readings and plans, and setting a measurement plan.

The measurements feature answers (its own tables); every view of patient data goes through pgo.accounts.patient_views.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from pgo.accounts.patient_views import patient_in_view, patients_in_list
from pgo.clock import utcnow
from pgo.i18n import _, _l
from pgo.measurements import forms, history_views
from pgo.measurements.history import measurement_history
from pgo.measurements.overview import flagged_for_clinician, flagged_readings, plans_for
from pgo.measurements.plans import create_plan
from pgo.measurements.types import TYPES, get_type
from pgo.web.access import clinician_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.request import current_lang, today

bp = Blueprint("clinic_measurements", __name__, url_prefix="/clinic")

NAV = [NavItem("clinic_measurements.flagged", _l("Flagged readings"), ("clinician",), icon="measurements")]

FLAGGED_DAYS = 30


@bp.get("/measurements")
@clinician_only
def flagged():
    session = get_session()
    since = utcnow() - timedelta(days=FLAGGED_DAYS)
    found = flagged_for_clinician(
        session=session, clinician_id=g.user.id, since=since, lang=current_lang(), page=history_views.page()
    )
    patients_in_list(  # logged: the patients whose readings this page shows
        [(p.patient_id, p.team_ids[0] if p.team_ids else None) for p in found.patients], what="view:measurements"
    )
    session.commit()
    return render_template(
        "clinic/measurements_flagged.html",
        rows=found.rows,
        paging=found.paging,
        sharing=found.sharing,
        days=FLAGGED_DAYS,
    )


@bp.get("/patients/<int:patient_id>/measurements")
@clinician_only
def patient(patient_id: int):
    shown = patient_in_view(patient_id, category="measurements", what="view:measurements")
    session = get_session()
    mtype = history_views.type_or_404(request.args.get("type", "blood_pressure"))
    since = utcnow() - timedelta(days=FLAGGED_DAYS)
    rows = flagged_readings(session=session, patient_ids=[shown.id], since=since, lang=current_lang()).rows
    found = measurement_history(
        session=session, user_id=shown.id, type=mtype.key, period=history_views.period(), today=today(),
        lang=current_lang(), page=history_views.page(), variants=True, for_clinician=True,
    )  # fmt: skip
    plans = [(plan, get_type(plan.type)) for plan in plans_for(session=session, patient_id=shown.id, today=today())]
    types = [t for t in TYPES.values() if not t.is_note]
    return render_template(
        "clinic/measurements_patient.html",
        patient=shown,
        rows=rows,
        history=found,
        mtype=mtype,
        plans=plans,
        types=types,
        periods=history_views.period_choices(".patient", patient_id=shown.id, type=mtype.key),
        days=FLAGGED_DAYS,
        **history_views.pager(".patient", patient_id=shown.id, type=mtype.key),
    )


@bp.route("/patients/<int:patient_id>/measurements/plan", methods=["GET", "POST"])
@clinician_only
def plan(patient_id: int):
    shown = patient_in_view(patient_id, category="measurements", what="view:measurements")
    form = forms.PlanForm()
    if request.method == "GET":
        form.times_per_day.data = 2
        form.days.data = 7
        form.start_date.data = today().isoformat()
    elif form.validate_on_submit():
        session = get_session()
        create_plan(
            session=session,
            patient_id=shown.id,
            clinician_id=g.user.id,
            type=form.type.data,
            days=form.days.data,
            start_date=date.fromisoformat(form.start_date.data.strip()),
            times_per_day=form.times_per_day.data,
            instructions=(form.instructions.data or "").strip(),
            thresholds=form.thresholds(),
        )
        session.commit()
        flash(_("The plan is saved. %(name)s sees it on their measurements page.", name=shown.name or ""))
        return redirect(url_for(".patient", patient_id=shown.id), code=303)
    status = 400 if request.method == "POST" else 200
    problems = [(f.id, f.errors[0]) for f in _plain_fields(form) if f.errors]
    return render_template("clinic/measurements_plan.html", form=form, patient=shown, problems=problems), status


def _plain_fields(form):
    for f in form:
        if hasattr(f, "form"):
            yield from f.form
        else:
            yield f
