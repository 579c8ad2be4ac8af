"""The patient's pages "Who may see my data" (consent per care team) and "Who looked at my data"."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from pgo.accounts import consent
from pgo.accounts.access_log import access_log_for_patient
from pgo.accounts.consent_page import consent_overview, history_newest_first
from pgo.accounts.forms import ConsentChangeForm
from pgo.accounts.views import bp
from pgo.i18n import _
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.preferences import current_preferences

LOG_PAGE_SIZE = 20
SIMPLIFIED_HISTORY = 3


def _consent_page(errors: list[str], status: int = 200):
    db = get_session()
    simplified = current_preferences().simplified
    history = history_newest_first(session=db, patient_id=g.user.id, limit=SIMPLIFIED_HISTORY if simplified else None)
    teams = consent_overview(session=db, patient_id=g.user.id)
    return render_template("accounts/consent.html", teams=teams, history=history, errors=errors), status


@bp.get("/consent")
@patient_only
def consent_page():
    return _consent_page([])


@bp.post("/consent")
@patient_only
def consent_change():
    form = ConsentChangeForm()
    if not form.validate_on_submit():
        return _consent_page([_("Something went wrong with your choice. Choose again.")], 400)
    db = get_session()
    change = consent.grant if form.action.data == "grant" else consent.revoke
    try:
        change(
            session=db,
            patient_id=g.user.id,
            team_id=form.team_id.data,
            category=form.category.data,
            actor_id=g.user.id,
        )
    except consent.ConsentError as error:
        db.rollback()
        return _consent_page([str(error)], 400)
    db.commit()
    if form.action.data == "grant":
        flash(_("Done: the team can now see this. You can withdraw it at any moment."))
    else:
        flash(_("Done: the team can no longer see this, from now on."))
    return redirect(url_for("accounts.consent_page") + f"#team-{form.team_id.data}")


def _before() -> int | None:
    value = request.args.get("before", "")
    return int(value) if value.isdigit() and len(value) < 18 else None


@bp.get("/access-log")
@patient_only
def access_log():
    before = _before()
    lines = access_log_for_patient(
        session=get_session(), patient_id=g.user.id, limit=LOG_PAGE_SIZE + 1, before_id=before
    )
    older = lines[LOG_PAGE_SIZE - 1].id if len(lines) > LOG_PAGE_SIZE else None
    return render_template("accounts/access_log.html", lines=lines[:LOG_PAGE_SIZE], older=older, paged=before)
