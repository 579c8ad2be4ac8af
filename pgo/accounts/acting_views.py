"""A helper acting for a patient (#21): which pages they may open, refused outside the scope, each one logged.

The session cookie holds only which grant the helper chose (``acting_grant``); every request reads that grant
from the database (``helpers.current_grant``), so a revoke or an end date holds from the next request on, in
every worker. While acting, ``g.user`` stays the helper (their own language, reading level and display
preferences apply) and ``g.acting`` names the patient; ``patient_in_view`` then shows the patient's data.

Pages are allowed by an explicit list, failing closed: a page of the patient's data needs its category in the
grant (and the ``act`` scope to enter or answer something); the helper's own account pages stay open; every
other page (the patient's consent, access log, share links, imports, helpers) is refused while acting.
"""

from __future__ import annotations

from flask import Flask, g, render_template, request, session

from pgo.accounts import audit, helpers
from pgo.web.database import get_session

SESSION_KEY = "acting_grant"

# Pages of the patient's data: endpoint -> the helper category it shows.
DATA_PAGES: dict[str, str] = {
    "measurements.home": "measurements",
    "measurements.history": "measurements",
    "measurements.result": "measurements",
    "measurements.result_read_aloud": "measurements",
    "measurements.entry": "measurements",
    "decisions.index": "decisions",
    "decisions.start": "decisions",
    "decisions.step": "decisions",
    "decisions.step_read_aloud": "decisions",
    "decisions.summary": "decisions",
    "decisions.complete": "decisions",
    "questionnaires.index": "questionnaires",
    "questionnaires.resume": "questionnaires",
    "questionnaires.page": "questionnaires",
    "questionnaires.summary": "questionnaires",
    "questionnaires.read_aloud": "questionnaires",
    "questionnaires.complete": "questionnaires",
    "records.overview": "records",
    "records.category": "records",
    "records.medication": "records",
    "records.results": "records",
    "records.item": "records",
    "records.document_file": "records",
    "bgz.sections": "records",  # every BgZ section (#20)
    "bgz.section": "records",
    "summary.page": "records",
    "read_aloud.speak": "records",
}
# Pages that enter something even when opened with GET (the entry form starts an entry).
WRITES_ON_GET = {"measurements.entry"}
# The helper's own pages, open while acting: the layout's plumbing, their own account and preferences.
OWN_PAGES = {
    "static",
    "web.home",
    "web.favicon",
    "web.health",
    "web.hello",
    "web.language",
    "web.preferences",
    "accounts.sign_in",
    "accounts.sign_in_code",
    "accounts.sign_out",
    "accounts.sso_start",
    "accounts.sso_callback",
    "accounts.password",
    "accounts.stop_acting",
    "accounts.start_acting",
    "accounts.helper_invitation",
    "literacy.reading_level",
    "literacy.save_reading_level",
    "summary.shared",
    "summary.shared_ips",
}


def is_write(endpoint: str, method: str) -> bool:
    return method not in ("GET", "HEAD") or endpoint in WRITES_ON_GET


def verdict(acting: helpers.Acting, endpoint: str, method: str) -> str:
    """'own' (the helper's own page), 'data' (allowed, logged), 'outside' (not in the scope), 'patient_only'."""
    if endpoint in OWN_PAGES:
        return "own"
    category = DATA_PAGES.get(endpoint)
    if category is None:
        return "patient_only"
    return "data" if acting.allows(category, write=is_write(endpoint, method)) else "outside"


def allowed_endpoints(acting: helpers.Acting) -> frozenset[str]:
    """The menu's entries while acting: what the grant lets the helper open (with GET)."""
    return frozenset(
        [e for e in OWN_PAGES] + [e for e, c in DATA_PAGES.items() if acting.allows(c, write=e in WRITES_ON_GET)]
    )


def _refuse(reason: str, patient_name: str):
    return render_template("accounts/helper_refused.html", reason=reason, patient_name=patient_name), 403


def _log(acting: helpers.Acting, helper_id: int, endpoint: str, method: str) -> None:
    db = get_session()
    action = "enter" if is_write(endpoint, method) else "view"
    audit.record_access(
        session=db,
        actor_id=helper_id,
        actor_role="helper",
        team_id=None,
        patient_id=acting.patient.id,
        what=f"{action}:{DATA_PAGES[endpoint]}",
        purpose="helper",
    )
    db.commit()


def init_app(app: Flask) -> None:
    @app.before_request
    def _acting():
        g.acting = None
        user = g.get("user")
        grant_id = session.get(SESSION_KEY)
        if user is None or grant_id is None or request.endpoint in (None, "static"):
            return None
        acting = helpers.current_grant(session=get_session(), grant_id=int(grant_id), helper_id=user.id)
        endpoint = request.endpoint
        if acting is None:
            session.pop(SESSION_KEY, None)
            if endpoint in OWN_PAGES:
                return None
            return _refuse("ended", "")
        name = acting.patient.name or acting.patient.email
        found = verdict(acting, endpoint, request.method)
        if found in ("outside", "patient_only"):
            g.acting = acting  # the banner stays: the helper still acts for the patient
            g.menu_allowed = allowed_endpoints(acting)
            return _refuse(found, name)
        g.acting, g.menu_allowed = acting, allowed_endpoints(acting)
        if found == "data":
            _log(acting, user.id, endpoint, request.method)
        return None

    app.jinja_env.globals["acting"] = lambda: g.get("acting")
