"""Decision aids: the patient's list, the seven steps (each saved and resumable), the summary and completing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from pgo.accounts.patient_views import patient_in_view
from pgo.decisions import steps
from pgo.decisions.aid import AidNotFound, load_aid
from pgo.decisions.listing import aid_list, offer_for
from pgo.decisions.presenters import step_page
from pgo.decisions.steps import ResponseNotFound, Step
from pgo.decisions.summary import consultation_summary
from pgo.i18n import _, _l
from pgo.literacy.read_aloud import spoken_text
from pgo.literacy.views import audio_response
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.preferences import current_preferences
from pgo.web.request import current_lang

bp = Blueprint("decisions", __name__, url_prefix="/decisions")

NAV = [NavItem("decisions.index", _l("Decision aids"), ("patient",), icon="decisions")]

TOTAL_STEPS = len(Step)


def _reading() -> tuple[str, str]:
    """The language and the aid's text level for this person: simple in the simplified view or at that level."""
    prefs = current_preferences()
    level = "simple" if prefs.simplified or prefs.reading_level == "simple" else "standard"
    return current_lang(), level


def _patient():
    return patient_in_view(None, category="decisions", what="view:decisions")


def _response(response_id: int):
    patient = _patient()
    try:
        return steps.owned_response(session=get_session(), response_id=response_id, user_id=patient.id)
    except ResponseNotFound:
        abort(404)


@bp.get("/")
@patient_only
def index():
    patient = _patient()
    lang, level = _reading()
    entries = aid_list(session=get_session(), user_id=patient.id, lang=lang, level=level)
    return render_template("decisions/index.html", entries=entries)


@bp.post("/start/<aid_id>")
@patient_only
def start(aid_id: str):
    patient = _patient()
    lang, level = _reading()
    session = get_session()
    try:
        load_aid(aid_id)
    except AidNotFound:
        abort(404)
    offer = offer_for(session=session, user_id=patient.id, aid_id=aid_id)
    response = steps.start_or_resume(
        session=session,
        user_id=patient.id,
        aid_id=aid_id,
        lang=lang,
        level=level,
        offer_id=offer.id if offer else None,
    )
    session.commit()
    if response.status == steps.ResponseStatus.COMPLETED:
        return redirect(url_for("decisions.summary", response_id=response.id))
    return redirect(url_for("decisions.step", response_id=response.id, number=response.current_step))


def _render_step(response, number: int, errors: dict[str, str], status: int = 200):
    lang, level = _reading()
    aid = load_aid(response.aid_id)
    page = step_page(aid=aid, response=response, step=number, lang=lang, level=level, option=request.args.get("option"))
    return (
        render_template(
            "decisions/step.html",
            aid=aid,
            aid_title=aid.title.get(lang, level),
            response=response,
            page=page,
            errors=errors,
            form=request.form if errors else None,
            done=set(response.answers.get("steps_done", [])),
            good_keys=[item.key for item in steps.common_texts()["good_questions"]],
        ),
        status,
    )


@bp.get("/responses/<int:response_id>/steps/<int:number>/read-aloud")
@patient_only
def step_read_aloud(response_id: int, number: int):
    """One step of the aid as audio (#18): its heading and what the step shows and asks, as on the page."""
    response = _response(response_id)
    if not 1 <= number <= TOTAL_STEPS:
        abort(404)
    html, _status = _render_step(response, number, {})
    return audio_response(spoken_text(html, "//h1 | //form[contains(@class, 'decision-step')]"), _reading()[0])


@bp.route("/responses/<int:response_id>/steps/<int:number>", methods=["GET", "POST"])
@patient_only
def step(response_id: int, number: int):
    response = _response(response_id)
    if not 1 <= number <= TOTAL_STEPS:
        abort(404)
    if request.method == "GET":
        return _render_step(response, number, {})
    lang, level = _reading()
    session = get_session()
    result = steps.save_step(
        session=session,
        response_id=response.id,
        user_id=response.user_id,
        step=number,
        form_data=request.form.to_dict(flat=False),
        lang=lang,
        level=level,
        advance=request.form.get("action") != "stop",
    )
    if not result.ok:
        session.rollback()
        return _render_step(_response(response_id), number, result.errors, 400)
    session.commit()
    return _after_save(result, number)


def _after_save(result, number: int):
    response = result.response
    if request.form.get("action") == "stop":
        flash(_("Your answers are saved. You can continue later where you stopped."))
        return redirect(url_for("decisions.index"))
    if number == Step.KNOWLEDGE:  # show the explanations before moving on
        return redirect(url_for("decisions.step", response_id=response.id, number=number, answered=1) + "#explanations")
    score = steps.response_sure_score(response)
    if number == Step.SURE and score is not None and score.conflict:
        flash(_("You are not quite sure yet. That is normal. Talk about it with your care provider."))
    if result.next_step is None:
        return redirect(url_for("decisions.summary", response_id=response.id))
    return redirect(url_for("decisions.step", response_id=response.id, number=result.next_step))


@bp.get("/responses/<int:response_id>/summary")
@patient_only
def summary(response_id: int):
    response = _response(response_id)
    lang, _level = _reading()
    overview = consultation_summary(
        session=get_session(), patient_id=response.user_id, response_id=response.id, lang=lang
    )
    missing = [n for n in range(1, TOTAL_STEPS + 1) if n not in set(response.answers.get("steps_done", []))]
    return render_template("decisions/summary.html", response=response, summary=overview, missing=missing)


@bp.post("/responses/<int:response_id>/complete")
@patient_only
def complete(response_id: int):
    response = _response(response_id)
    session = get_session()
    result = steps.complete(session=session, response_id=response.id, user_id=response.user_id)
    if not result.ok:
        session.rollback()
        lang, _level = _reading()
        overview = consultation_summary(
            session=session, patient_id=response.user_id, response_id=response.id, lang=lang
        )
        missing = [n for n in range(1, TOTAL_STEPS + 1) if n not in set(response.answers.get("steps_done", []))]
        return (
            render_template(
                "decisions/summary.html", response=response, summary=overview, missing=missing, errors=result.errors
            ),
            400,
        )
    session.commit()
    flash(_("You have finished the decision aid. Your care provider can see your answers."))
    return redirect(url_for("decisions.index"))
