"""Questionnaires (#20): the to-do list, one page (default view) or one question (simplified view) at a time,
save, stop and resume, the summary, finishing, and read-aloud of a question with its answers.

Thin views: each calls one domain function (``pgo.questionnaires.store``) and redirects or renders.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for

from pgo.accounts.patient_views import patient_in_view
from pgo.i18n import _, _l
from pgo.literacy import read_aloud as speech
from pgo.questionnaires import store
from pgo.questionnaires.enable import enabled_items
from pgo.questionnaires.pages import next_page, page_of, pages_for, previous_page, visible
from pgo.questionnaires.presenters import offer_entry, page_view, question_view, summary_lines
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.navigation import NavItem
from pgo.web.preferences import current_preferences
from pgo.web.request import current_lang, is_htmx

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires")

NAV = [NavItem("questionnaires.index", _l("To do"), ("patient",), icon="check")]


def _go(url: str):
    """Where a save leads. htmx (which would follow a redirect inside its request) gets HX-Redirect and loads the
    page itself, so the address, history and focus are those of a normal page load."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def _simplified() -> bool:
    return current_preferences().simplified


def _offer(offer_id: int):
    patient = patient_in_view(None, category="questionnaires", what="view:questionnaires")
    try:
        return store.owned_offer(session=get_session(), offer_id=offer_id, user_id=patient.id)
    except store.OfferNotFound:
        abort(404)


def _pages(offer):
    questionnaire = store.questionnaire_of(offer, current_lang())
    return questionnaire, pages_for(questionnaire, simplified=_simplified())


@bp.get("/")
@patient_only
def index():
    patient = patient_in_view(None, category="questionnaires", what="view:questionnaires")
    session = get_session()

    def entries(offers):
        return [offer_entry(offer, store.questionnaire_of(offer, current_lang()).title) for offer in offers]

    open_ = entries(store.open_offers(session=session, user_id=patient.id))
    done = entries(store.finished_offers(session=session, user_id=patient.id))
    return render_template("questionnaires/index.html", open_entries=open_, done_entries=done)


@bp.get("/<int:offer_id>")
@patient_only
def resume(offer_id: int):
    """Continue where the patient stopped: the page of the question they were at, or the summary."""
    offer = _offer(offer_id)
    if offer.status not in store.OPEN_STATUSES:
        return redirect(url_for(".summary", offer_id=offer.id))
    questionnaire, pages = _pages(offer)
    enabled = enabled_items(questionnaire, offer.answers)
    if offer.current_link_id == "":
        return redirect(url_for(".summary", offer_id=offer.id))
    number = page_of(pages, offer.current_link_id) if offer.current_link_id else 0
    if not number or not visible(pages[number - 1], enabled):
        number = next_page(pages, number, enabled) or 1
    return redirect(url_for(".page", offer_id=offer.id, number=number))


def _render_page(offer, number: int, *, form=None, errors=None, new=(), status=200):
    questionnaire, pages = _pages(offer)
    view = page_view(questionnaire, pages[number - 1], pages, offer.answers, form=form, errors=errors, new=new)
    problems = [
        (entry.field, f"{entry.prefix} {entry.text} {entry.error}".strip()) for entry in view.entries if entry.error
    ]
    problems += [(name, message) for name, message in (errors or {}).items() if name == "form"]
    return (
        render_template(
            "questionnaires/page.html",
            offer=offer,
            questionnaire=questionnaire,
            page=view,
            errors=problems,
            token=secrets.token_urlsafe(24),
            simplified=_simplified(),
        ),
        status,
    )


@bp.route("/<int:offer_id>/pages/<int:number>", methods=["GET", "POST"])
@patient_only
def page(offer_id: int, number: int):
    offer = _offer(offer_id)
    questionnaire, pages = _pages(offer)
    if not 1 <= number <= len(pages):
        abort(404)
    if offer.status not in store.OPEN_STATUSES:
        return redirect(url_for(".summary", offer_id=offer.id))
    if request.method == "GET":
        return _render_page(offer, number, new=tuple(request.args.getlist("new")))
    action = request.form.get("action", "next")
    session = get_session()
    form = request.form.to_dict(flat=False)
    result = store.save_page(
        session=session,
        offer_id=offer.id,
        user_id=offer.user_id,
        link_ids=pages[number - 1].link_ids,
        form_data=form,
        token=request.form.get("form_token", ""),
        lang=current_lang(),
        require=action == "next",
        position=offer.current_link_id,
    )
    if result.duplicate:
        return _go(url_for(".resume", offer_id=offer.id))
    if not result.ok:
        session.rollback()
        new = tuple(result.newly_shown)
        return _render_page(_offer(offer_id), number, form=form, errors=result.errors, new=new, status=400)
    return _after_save(session, result, pages, number, action)


def _after_save(session, result, pages, number: int, action: str):
    offer = result.offer
    questionnaire = store.questionnaire_of(offer, current_lang())
    enabled = enabled_items(questionnaire, offer.answers)
    shown_now = [link_id for link_id in result.newly_shown if link_id in enabled]
    if action == "next" and shown_now:  # the answers switched on more on this page: show it before moving on
        store.move_to(session=session, offer=offer, link_id=pages[number - 1].link_ids[0])
        session.commit()
        flash(_("There is more on this page now. Read it, then continue."))
        return _go(url_for(".page", offer_id=offer.id, number=number, new=shown_now))
    if action == "back":
        target = previous_page(pages, number, enabled) or number
    elif action == "stop":
        target = number
    else:
        target = next_page(pages, number, enabled)
    store.move_to(session=session, offer=offer, link_id=pages[target - 1].link_ids[0] if target else "")
    session.commit()
    if action == "stop":
        flash(_("Your answers are saved. You can continue later where you stopped."))
        return _go(url_for(".index"))
    if target is None:
        return _go(url_for(".summary", offer_id=offer.id))
    return _go(url_for(".page", offer_id=offer.id, number=target))


def _render_summary(offer, errors=None, status=200):
    questionnaire = store.questionnaire_of(offer, current_lang())
    lines = summary_lines(questionnaire, offer.answers, simplified=_simplified())
    problems = [(f"line-{line.field}", message) for line in lines if (message := (errors or {}).get(line.field))]
    return render_template(
        "questionnaires/summary.html", offer=offer, questionnaire=questionnaire, lines=lines, errors=problems
    ), status


@bp.get("/<int:offer_id>/summary")
@patient_only
def summary(offer_id: int):
    return _render_summary(_offer(offer_id))


@bp.post("/<int:offer_id>/complete")
@patient_only
def complete(offer_id: int):
    offer = _offer(offer_id)
    session = get_session()
    result = store.finish(session=session, offer_id=offer.id, user_id=offer.user_id, lang=current_lang())
    if not result.ok:
        session.rollback()
        return _render_summary(_offer(offer_id), result.errors, 400)
    session.commit()
    if not result.duplicate:
        if result.offer.status == store.OfferStatus.READY_TO_SEND:
            name = result.offer.source_name or result.offer.source
            flash(_("Thank you. Your answers are ready to send to %(name)s.", name=name))
        else:
            flash(_("Thank you. Your answers are saved in pgo."))
    return redirect(url_for(".index"), code=303)


@bp.get("/<int:offer_id>/read-aloud")
@patient_only
def read_aloud(offer_id: int):
    """WAV audio of a question (with the texts just before it) and the answers to choose from, in the page's
    language; ``item`` names each linkId to read, in order."""
    offer = _offer(offer_id)
    questionnaire = store.questionnaire_of(offer, current_lang())
    items = [questionnaire.by_link_id.get(link_id) for link_id in request.args.getlist("item")[:10]]
    if not items or any(item is None or not item.text for item in items):
        abort(404)
    text = " ".join(
        question_view(item, [], None, None).speech if item.type not in ("group", "display") else item.text
        for item in items
    )
    try:
        audio = speech.synthesize(text, current_lang(), cache_dir=Path(current_app.instance_path) / "read_aloud")
    except speech.ReadAloudError:
        abort(503)
    response = make_response(audio)
    response.headers["Content-Type"] = "audio/wav"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
