"""Home measurements: entry, plan checklist, history, CSV import; the clinician's plans and flagged readings.

Thin views: each builds its form, calls one domain function and redirects or renders. htmx requests get the
partial (the same template the full page includes).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from pgo.accounts import audit
from pgo.accounts.patient_views import patient_in_view
from pgo.clock import utcnow
from pgo.i18n import _, _l
from pgo.literacy.views import audio_response
from pgo.localtime import local_day
from pgo.measurements import csv_store, forms
from pgo.measurements.csv_import import confirm_csv, parse_csv
from pgo.measurements.entry import (
    EntryStatus,
    advice_for_measurement,
    new_form_token,
    record_measurement,
)
from pgo.measurements.history import PERIODS, ROWS_PER_PAGE, entered_by_texts, measurement_history, row_for
from pgo.measurements.models import Measurement
from pgo.measurements.overview import (
    csv_row,
    flagged_for_clinician,
    flagged_readings,
    last_value,
    overview,
    plans_for,
    sprite_icon,
)
from pgo.measurements.plans import create_plan
from pgo.measurements.types import TYPES, UnknownMeasurementType, get_type
from pgo.web.access import clinician_only, patient_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.preferences import current_preferences
from pgo.web.request import current_lang, current_level, is_htmx, today

bp = Blueprint("measurements", __name__)

NAV: list[NavItem] = [
    NavItem("measurements.home", _l("Measurements"), ("patient",), icon="measurements"),
    NavItem("measurements.clinic_flagged", _l("Flagged readings"), ("clinician",), icon="measurements"),
]

FLAGGED_DAYS = 30


def _type_or_404(key: str):
    try:
        return get_type(key)
    except UnknownMeasurementType:
        abort(404)


def _period() -> str:
    period = request.args.get("period", "week")
    return period if period in PERIODS else "week"


# --- patient ---------------------------------------------------------------------------------------------


@bp.get("/measurements")
@patient_only
def home():
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    view = overview(session=get_session(), user_id=patient.id, today=today(), lang=current_lang())
    return render_template("measurements/home.html", overview=view)


@bp.route("/measurements/<type_key>/new", methods=["GET", "POST"])
@patient_only
def entry(type_key: str):
    mtype = _type_or_404(type_key)
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    session = get_session()
    level = current_level()
    form = forms.entry_form(mtype, level)
    status = 200
    confirming = False
    if request.method == "GET":
        now = utcnow()
        form.token.data = new_form_token()
        form.day.data = local_day(now).isoformat()
        form.clock.data = f"{now.astimezone(_local_zone()):%H:%M}"
    elif form.validate_on_submit() and form.token.data:
        result = record_measurement(
            session=session,
            user_id=patient.id,
            type=mtype.key,
            form_values={f.name: f.data for f in form.value_fields} | {"note": form.note.data or ""},
            unit=form.unit.data if hasattr(form, "unit") else None,
            measured_at=forms.measured_at(form),
            token=form.token.data,
            confirm=bool(form.confirm.data),
            level=level,
            lang=current_lang(),
            entered_by_id=g.user.id if g.get("acting") else None,
        )
        if result.stored:
            session.commit()
            if is_htmx():
                return _result_page(result.measurement, partial=True)
            return redirect(url_for(".result", measurement_id=result.measurement.id), code=303)
        _attach_problems(form, result.errors, result.warnings)
        confirming = result.status == EntryStatus.CONFIRM
        status = 400 if result.status == EntryStatus.INVALID else 200
    else:
        status = 400
        if not form.token.data:
            form.token.data = new_form_token()
    last = last_value(session=session, user_id=patient.id, mtype=mtype)
    template = "measurements/_entry_form.html" if is_htmx() else "measurements/entry.html"
    return render_template(template, form=form, mtype=mtype, last=last, confirming=confirming), status


def _local_zone():
    from pgo.localtime import LOCAL_ZONE

    return LOCAL_ZONE


def _attach_problems(form, errors: dict[str, str], warnings: dict[str, str]) -> None:
    # A problem with the whole form (a token that is not ours) is shown at the first field; a fresh token
    # lets the person send the form again.
    targets = {"measured_at": "day", "form": form.value_fields[0].name if form.value_fields else "note"}
    if "form" in errors:
        form.token.data = new_form_token()
    for name, message in errors.items():
        target = targets.get(name, name)
        if target in form:
            form[target].errors = [message]
    form.warnings = {name: message for name, message in warnings.items() if name in form and name not in errors}


@bp.get("/measurements/result/<int:measurement_id>")
@patient_only
def result(measurement_id: int):
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    measurement = get_session().get(Measurement, measurement_id)
    if measurement is None or measurement.user_id != patient.id:
        abort(404)
    return _result_page(measurement, partial=is_htmx())


@bp.get("/measurements/result/<int:measurement_id>/read-aloud")
@patient_only
def result_read_aloud(measurement_id: int):
    """The advice after a reading, as audio (#18): its status in words, then what to do."""
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    measurement = get_session().get(Measurement, measurement_id)
    if measurement is None or measurement.user_id != patient.id:
        abort(404)
    advice = advice_for_measurement(
        session=get_session(), measurement=measurement, level=current_level(), lang=current_lang()
    )
    return audio_response(f"{advice.severity_word}. {advice.text}", current_lang())


def _result_page(measurement: Measurement, *, partial: bool):
    session = get_session()
    mtype = get_type(measurement.type)
    advice = advice_for_measurement(
        session=session, measurement=measurement, level=current_level(), lang=current_lang()
    )
    entered_by = entered_by_texts(session=session, measurements=[measurement])
    row = row_for(measurement, mtype, entered_by)
    template = "measurements/_result.html" if partial else "measurements/result.html"
    advice_icon = sprite_icon(advice.icon)
    page = render_template(
        template, mtype=mtype, advice=advice, row=row, advice_icon=advice_icon, partial=partial,
        entered_by=entered_by.get(measurement.id, ""),
    )  # fmt: skip
    # htmx: the result takes the whole main area, so the heading says what happened (#18), not "Add: ..."
    return (page, {"HX-Retarget": "#main", "HX-Reswap": "innerHTML"}) if partial else page


@bp.get("/measurements/<type_key>/history")
@patient_only
def history(type_key: str):
    mtype = _type_or_404(type_key)
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    found = measurement_history(
        session=get_session(),
        user_id=patient.id,
        type=mtype.key,
        period=_period(),
        today=today(),
        lang=current_lang(),
        level=current_level(),
        page=_page(),
        variants=True,
        simple=current_preferences().simplified,
    )
    periods = _period_choices(".history", type_key=mtype.key)
    return render_template(
        "measurements/history.html",
        mtype=mtype,
        history=found,
        periods=periods,
        **_pager(".history", type_key=mtype.key),
    )


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def _pager(endpoint: str, **args) -> dict:
    """What the history table's pager needs: where its links go (the period is added by the template)."""
    return {"pager_endpoint": endpoint, "pager_args": args, "per_page": ROWS_PER_PAGE}


def _period_choices(endpoint: str, **args) -> list[tuple[str, str, str]]:
    labels = {"week": _("Week"), "month": _("Month"), "year": _("Year")}
    return [(key, labels[key], url_for(endpoint, period=key, **args)) for key in PERIODS]


def _upload_folder() -> Path:
    return Path(current_app.instance_path) / "csv-uploads"


@bp.route("/measurements/import", methods=["GET", "POST"])
@patient_only
def csv_upload():
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    form = forms.CsvUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not upload.filename:
            form.file.errors = [_("Choose a CSV file.")]
        else:
            raw = upload.read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.file.errors = [_("This file is not a text file in UTF-8. Export it again as CSV.")]
            else:
                try:
                    upload_id = csv_store.keep_upload(
                        _upload_folder(), user_id=patient.id, text=text, file_name=upload.filename
                    )
                except csv_store.UploadTooLarge:
                    megabytes = csv_store.MAX_UPLOAD_BYTES // (1024 * 1024)
                    form.file.errors = [_("This file is too large. Import at most %(n)s MB at a time.", n=megabytes)]
                else:
                    return redirect(url_for(".csv_preview", upload_id=upload_id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("measurements/csv_upload.html", form=form), status


@bp.route("/measurements/import/<upload_id>", methods=["GET", "POST"])
@patient_only
def csv_preview(upload_id: str):
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    upload = csv_store.load_upload(_upload_folder(), user_id=patient.id, upload_id=upload_id)
    if upload is None:
        abort(404)
    preview = parse_csv(upload.text, level=current_level(), lang=current_lang())
    form = forms.CsvConfirmForm()
    if form.validate_on_submit() and preview.good and not preview.problem:
        report = confirm_csv(
            session=get_session(),
            user_id=patient.id,
            preview=preview,
            file_name=upload.file_name,
            level=current_level(),
        )
        get_session().commit()
        flash(_("%(stored)s new measurements saved. %(already)s were saved before.",
                stored=report.stored, already=report.already_there))  # fmt: skip
        return redirect(url_for(".home"), code=303)
    if preview.problem or not preview.good:  # refused: nothing to confirm, so not kept once the page says why (#17)
        csv_store.discard_upload(_upload_folder(), user_id=patient.id, upload_id=upload.upload_id)
    rows = [csv_row(row) for row in preview.good]
    return render_template("measurements/csv_preview.html", preview=preview, rows=rows, upload=upload, form=form)


# --- clinician -------------------------------------------------------------------------------------------


@bp.get("/clinic/measurements")
@clinician_only
def clinic_flagged():
    session = get_session()
    since = utcnow() - timedelta(days=FLAGGED_DAYS)
    found = flagged_for_clinician(
        session=session, clinician_id=g.user.id, since=since, lang=current_lang(), page=_page()
    )
    audit.record_views_of_patients(  # logged: the patients whose readings this page shows
        session=session,
        actor_id=g.user.id,
        actor_role=g.user.role,
        views=[(p.patient_id, p.team_ids[0] if p.team_ids else None) for p in found.patients],
        what="view:measurements",
        purpose="care",
    )
    session.commit()
    return render_template(
        "measurements/clinic_flagged.html",
        rows=found.rows,
        paging=found.paging,
        sharing=found.sharing,
        days=FLAGGED_DAYS,
    )


@bp.get("/clinic/patients/<int:patient_id>/measurements")
@clinician_only
def clinic_patient(patient_id: int):
    patient = patient_in_view(patient_id, category="measurements", what="view:measurements")
    session = get_session()
    mtype = _type_or_404(request.args.get("type", "blood_pressure"))
    since = utcnow() - timedelta(days=FLAGGED_DAYS)
    rows = flagged_readings(session=session, patient_ids=[patient.id], since=since, lang=current_lang()).rows
    found = measurement_history(
        session=session, user_id=patient.id, type=mtype.key, period=_period(), today=today(), lang=current_lang(),
        page=_page(), variants=True, for_clinician=True,
    )  # fmt: skip
    plans = [(plan, get_type(plan.type)) for plan in plans_for(session=session, patient_id=patient.id, today=today())]
    types = [t for t in TYPES.values() if not t.is_note]
    return render_template(
        "measurements/clinic_patient.html",
        patient=patient,
        rows=rows,
        history=found,
        mtype=mtype,
        plans=plans,
        types=types,
        periods=_period_choices(".clinic_patient", patient_id=patient.id, type=mtype.key),
        days=FLAGGED_DAYS,
        **_pager(".clinic_patient", patient_id=patient.id, type=mtype.key),
    )


@bp.route("/clinic/patients/<int:patient_id>/measurements/plan", methods=["GET", "POST"])
@clinician_only
def clinic_plan(patient_id: int):
    patient = patient_in_view(patient_id, category="measurements", what="view:measurements")
    form = forms.PlanForm()
    if request.method == "GET":
        form.times_per_day.data = 2
        form.days.data = 7
        form.start_date.data = today().isoformat()
    elif form.validate_on_submit():
        session = get_session()
        create_plan(
            session=session,
            patient_id=patient.id,
            clinician_id=g.user.id,
            type=form.type.data,
            days=form.days.data,
            start_date=date.fromisoformat(form.start_date.data.strip()),
            times_per_day=form.times_per_day.data,
            instructions=(form.instructions.data or "").strip(),
            thresholds=form.thresholds(),
        )
        session.commit()
        flash(_("The plan is saved. %(name)s sees it on their measurements page.", name=patient.name or ""))
        return redirect(url_for(".clinic_patient", patient_id=patient.id), code=303)
    status = 400 if request.method == "POST" else 200
    problems = [(f.id, f.errors[0]) for f in _plain_fields(form) if f.errors]
    return render_template("measurements/clinic_plan.html", form=form, patient=patient, problems=problems), status


def _plain_fields(form):
    for f in form:
        if hasattr(f, "form"):
            yield from f.form
        else:
            yield f
