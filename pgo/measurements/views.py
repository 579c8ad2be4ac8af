"""Home measurements: entry, plan checklist, history, CSV import (the clinician's pages are in pgo.clinic).

Thin views: each builds its form, calls one domain function and redirects or renders. htmx requests get the
partial (the same template the full page includes).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from pgo.accounts.patient_views import patient_in_view
from pgo.clock import utcnow
from pgo.i18n import _, _l
from pgo.literacy.views import audio_response
from pgo.localtime import local_day
from pgo.measurements import csv_store, forms, history_views
from pgo.measurements.csv_import import confirm_csv, parse_csv
from pgo.measurements.entry import (
    EntryStatus,
    advice_for_measurement,
    new_form_token,
    record_measurement,
)
from pgo.measurements.history import entered_by_texts, measurement_history, row_for
from pgo.measurements.models import Measurement
from pgo.measurements.overview import (
    csv_row,
    last_value,
    overview,
    sprite_icon,
)
from pgo.measurements.types import get_type
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.preferences import current_preferences
from pgo.web.request import current_lang, current_level, is_htmx, today

bp = Blueprint("measurements", __name__)

NAV: list[NavItem] = [
    NavItem("measurements.home", _l("Measurements"), ("patient",), icon="measurements"),
]


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
    mtype = history_views.type_or_404(type_key)
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
    mtype = history_views.type_or_404(type_key)
    patient = patient_in_view(None, category="measurements", what="view:measurements")
    found = measurement_history(
        session=get_session(),
        user_id=patient.id,
        type=mtype.key,
        period=history_views.period(),
        today=today(),
        lang=current_lang(),
        level=current_level(),
        page=history_views.page(),
        variants=True,
        simple=current_preferences().simplified,
    )
    periods = history_views.period_choices(".history", type_key=mtype.key)
    return render_template(
        "measurements/history.html",
        mtype=mtype,
        history=found,
        periods=periods,
        **history_views.pager(".history", type_key=mtype.key),
    )


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
