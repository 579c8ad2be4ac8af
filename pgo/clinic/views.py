"""The clinician's side: consenting patients, offering an aid, the consultation preparation, the decision made."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from pgo.accounts.patient_views import categories_in_view, patient_in_view, patients_in_list
from pgo.clinic.forms import DecisionForm, OfferForm
from pgo.clinic.preparation import consultation_preparation, no_access_text, patient_rows
from pgo.clock import utcnow
from pgo.decisions.aid import AidNotFound, available_aids, load_aid
from pgo.decisions.listing import latest_response
from pgo.decisions.offers import DecisionError, offer_aid, record_decision
from pgo.i18n import _, _l
from pgo.web.access import clinician_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.request import current_lang, today

bp = Blueprint("clinic", __name__, url_prefix="/clinic")

NAV = [NavItem("clinic.home", _l("My patients"), ("clinician",), icon="people")]

CATEGORIES = ("decisions", "measurements", "records")


@bp.get("/")
@clinician_only
def home():
    session = get_session()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    found = patient_rows(session=session, clinician_id=g.user.id, now=utcnow(), lang=current_lang(), page=page)
    for category in ("decisions", "measurements"):  # the offers and flag counts shown, per patient (#17, #22)
        patients_in_list(
            [(row.patient_id, row.team_id) for row in found.rows if category in row.categories],
            what=f"view:{category}",
        )
    session.commit()
    return render_template("clinic/home.html", rows=found.rows, paging=found.paging)


@bp.get("/patients/<int:patient_id>/preparation")
@clinician_only
def preparation(patient_id: int):
    # The decision aid is what the consultation is about: without that consent there is no page (404).
    _patient, allowed = categories_in_view(patient_id, CATEGORIES, required="decisions", purpose="consultation")
    prep = consultation_preparation(
        session=get_session(), patient_id=patient_id, allowed=allowed, today=today(), now=utcnow(), lang=current_lang()
    )
    return render_template("clinic/preparation.html", prep=prep, no_access=no_access_text(current_lang()))


def _aid_choices():
    lang = current_lang()
    return [(aid.id, aid.title.get(lang)) for aid in available_aids()]


@bp.route("/patients/<int:patient_id>/offer", methods=["GET", "POST"])
@clinician_only
def offer(patient_id: int):
    patient = patient_in_view(patient_id, category="decisions", what="view:decisions")
    form = OfferForm()
    form.aid.choices = _aid_choices()
    if form.validate_on_submit():
        session = get_session()
        try:
            offer_aid(
                session=session,
                clinician_id=g.user.id,
                patient_id=patient.id,
                aid_id=form.aid.data,
                consultation_date=form.consultation_date.data,
                note=form.note.data or "",
            )
        except DecisionError as error:
            session.rollback()
            form.note.errors = [str(error)]
        else:
            session.commit()
            flash(_("The decision aid is offered to %(name)s.", name=patient.name or patient.email))
            return redirect(url_for("clinic.home"))
    status = 400 if form.errors else 200
    return render_template("clinic/offer.html", form=form, patient=patient), status


@bp.route("/patients/<int:patient_id>/decisions/<aid_id>", methods=["GET", "POST"])
@clinician_only
def decision(patient_id: int, aid_id: str):
    patient = patient_in_view(patient_id, category="decisions", what="view:decisions")
    try:
        aid = load_aid(aid_id)
    except AidNotFound:
        abort(404)
    lang = current_lang()
    form = DecisionForm()
    with_not_decided = [*((o.code, o.name.get(lang)) for o in aid.options), ("not-decided", _("Not decided yet"))]
    form.chosen_option.choices = with_not_decided
    if form.validate_on_submit():
        session = get_session()
        response = latest_response(session=session, user_id=patient.id, aid_id=aid.id)
        try:
            record_decision(
                session=session,
                clinician_id=g.user.id,
                patient_id=patient.id,
                aid_id=aid.id,
                chosen_option=form.chosen_option.data,
                decided_on=form.decided_on.data,
                note=form.note.data or "",
                response_id=response.id if response else None,
            )
        except DecisionError as error:
            session.rollback()
            form.note.errors = [str(error)]
        else:
            session.commit()
            flash(_("The decision is recorded. %(name)s can see it.", name=patient.name or patient.email))
            return redirect(url_for("clinic.preparation", patient_id=patient.id))
    if not form.is_submitted():
        form.decided_on.data = today()
    status = 400 if form.errors else 200
    return render_template(
        "clinic/decision.html",
        form=form,
        patient=patient,
        aid_title=aid.title.get(lang),
        question=aid.decision.get(lang),
    ), status


@bp.get("/catalogue/gaps")
@clinician_only
def catalogue_gaps():
    """The codes that arrived without their own explanation, across patients and naming none (issue #15)."""
    from pgo.records.catalogue_gaps import MIN_PEOPLE, catalogue_gaps

    page = max(1, request.args.get("page", 1, type=int) or 1)
    found = catalogue_gaps(session=get_session(), lang=current_lang(), page=page)
    return render_template("clinic/catalogue_gaps.html", found=found, min_people=MIN_PEOPLE)
