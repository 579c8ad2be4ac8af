"""The route x role matrix for helpers (#21): every route, for a helper of patient A's acting with each scope.

``HELPER_SPEC`` is a hand-written specification (it does not ask ``pgo.accounts.acting_views``), so a page added to the
acting allow-list by mistake, or a category given to the wrong page, fails here. Each endpoint is one of:

* ``OWN``: the helper's own page (their account, preferences, the layout's plumbing): answers as usual;
* ``CLINIC``: a clinician's page: 403 for a helper (a patient account);
* ``PATIENT_ONLY``: the patient's own controls (consent, access log, share links, imports, helpers): 403 while acting;
* ``data(category, write_on_get=False)``: a page of A's data: answers when the grant has the category, and (for
  POST, or a GET that starts an entry) the scope ``act``; else 403.

After the walk, the access log holds helper entries only for categories the grant has: nothing was used outside it.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select
from test_security_matrix import _csrf, _fill, seeded  # noqa: F401

from pgo.accounts import helpers
from pgo.accounts.models import AccessLogEntry
from pgo.accounts.service import create_user
from pgo.demo import DEMO_PASSWORD

OWN, CLINIC, PATIENT_ONLY = ("own",), ("clinic",), ("patient_only",)


def data(category: str, write_on_get: bool = False) -> tuple:
    return ("data", category, write_on_get)


HELPER_SPEC: dict[str, tuple] = {
    "static": OWN,
    "web.home": OWN,
    "web.favicon": OWN,
    "web.health": OWN,
    "web.hello": OWN,
    "web.language": OWN,
    "web.preferences": OWN,
    "accounts.sign_in": OWN,
    "accounts.sign_in_code": OWN,
    "accounts.sign_out": OWN,
    "accounts.sso_start": OWN,
    "accounts.sso_callback": OWN,
    "accounts.password": OWN,
    "accounts.helper_invitation": OWN,
    "accounts.start_acting": OWN,
    "accounts.stop_acting": OWN,
    "literacy.reading_level": OWN,
    "literacy.save_reading_level": OWN,
    "summary.shared": OWN,
    "summary.shared_ips": OWN,
    "accounts.two_factor": CLINIC,
    "clinic.home": CLINIC,
    "clinic.decision": CLINIC,
    "clinic.offer": CLINIC,
    "clinic.preparation": CLINIC,
    "clinic_measurements.flagged": CLINIC,
    "clinic_measurements.patient": CLINIC,
    "clinic_measurements.plan": CLINIC,
    "clinic.catalogue_gaps": CLINIC,
    "accounts.two_factor_start": CLINIC,
    "accounts.two_factor_confirm": CLINIC,
    "accounts.two_factor_disable": CLINIC,
    "accounts.consent_page": PATIENT_ONLY,
    "accounts.consent_change": PATIENT_ONLY,
    "accounts.access_log": PATIENT_ONLY,
    "accounts.helpers_page": PATIENT_ONLY,
    "accounts.helpers_invite": PATIENT_ONLY,
    "accounts.helpers_birth_date": PATIENT_ONLY,
    "accounts.helpers_revoke": PATIENT_ONLY,
    "accounts.helpers_agree": PATIENT_ONLY,
    "accounts.helping_stop": PATIENT_ONLY,
    "imports.upload": PATIENT_ONLY,
    "imports.upload_post": PATIENT_ONLY,
    "imports.report": PATIENT_ONLY,
    "imports.export": PATIENT_ONLY,
    "providers.providers": PATIENT_ONLY,
    "providers.connect": PATIENT_ONLY,
    "providers.fetch": PATIENT_ONLY,
    "providers.callback": PATIENT_ONLY,
    "providers.provider_result": PATIENT_ONLY,
    "imports.job": PATIENT_ONLY,  # a background import's progress (#17)
    "measurements.csv_upload": PATIENT_ONLY,
    "measurements.csv_preview": PATIENT_ONLY,
    "summary.note": PATIENT_ONLY,
    "summary.ips_download": PATIENT_ONLY,
    "summary.share": PATIENT_ONLY,
    "summary.share_create": PATIENT_ONLY,
    "summary.share_revoke": PATIENT_ONLY,
    "sending.page": PATIENT_ONLY,  # what goes to a provider is the patient's own choice (#20)
    "sending.permission": PATIENT_ONLY,
    "sending.send": PATIENT_ONLY,
    "sending.retry": PATIENT_ONLY,
    "measurements.home": data("measurements"),
    "measurements.history": data("measurements"),
    "measurements.result": data("measurements"),
    "measurements.result_read_aloud": data("measurements"),
    "measurements.entry": data("measurements", write_on_get=True),
    "decisions.index": data("decisions"),
    "decisions.start": data("decisions"),
    "decisions.step": data("decisions"),
    "decisions.step_read_aloud": data("decisions"),
    "decisions.summary": data("decisions"),
    "decisions.complete": data("decisions"),
    "questionnaires.index": data("questionnaires"),
    "questionnaires.resume": data("questionnaires"),
    "questionnaires.page": data("questionnaires"),
    "questionnaires.summary": data("questionnaires"),
    "questionnaires.read_aloud": data("questionnaires"),
    "questionnaires.complete": data("questionnaires"),
    "records.overview": data("records"),
    "records.category": data("records"),
    "records.medication": data("records"),
    "records.results": data("records"),
    "records.item": data("records"),
    "records.document_file": data("records"),
    "bgz.sections": data("records"),
    "bgz.section": data("records"),
    "summary.page": data("records"),
    "read_aloud.speak": data("records"),
}

# The helper roles: one per scope that matters (read or act; one category, several, all).
SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "read_measurements": ("read", ("measurements",)),
    "act_measurements": ("act", ("measurements",)),
    "act_decisions_records": ("act", ("decisions", "records")),
    "read_all": ("read", helpers.HELPER_CATEGORIES),
    "act_all": ("act", helpers.HELPER_CATEGORIES),
}


def _helper(app, people: dict, name: str) -> dict:
    scope, categories = SCOPES[name]
    email = f"{name.replace('_', '-')}@example.nl"
    with Session(app.extensions["pgo_engine"], expire_on_commit=False) as session:
        helper = create_user(session=session, email=email, password=DEMO_PASSWORD, name=name)
        from pgo.accounts.models import User

        patient = session.get(User, people["a"])
        invitation = helpers.invite(session=session, patient=patient, email=email, scope=scope, categories=categories)
        helpers.accept(session=session, code=invitation.code, helper=helper)
        session.commit()
        return {"email": email, "grant": invitation.grant.id, "id": helper.id}


def _acting_client(app, helper: dict):
    client = app.test_client()
    html = client.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    signed = client.post("/sign-in", data={"email": helper["email"], "password": DEMO_PASSWORD, "csrf_token": csrf})
    assert signed.status_code == 302, "the helper could not sign in"
    response = client.post(f"/acting/{helper['grant']}", data={"csrf_token": _csrf(client)})
    assert response.status_code == 303, "the helper could not start acting"
    return client


def expected_problem(spec: tuple, scope: tuple[str, tuple[str, ...]], method: str, response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    kind = spec[0]
    if kind in ("clinic", "patient_only"):
        return None if status == 403 else f"expected 403, got {status}"
    if kind == "own":
        if status == 403:
            return "refused the helper's own page"
        return None
    _kind, category, write_on_get = spec
    writes = method != "GET" or write_on_get
    allowed = category in scope[1] and (scope[0] == "act" or not writes)
    if not allowed:
        return None if status == 403 else f"outside the scope, expected 403, got {status}"
    if status == 403:
        return "refused within the scope"
    if method == "GET" and status >= 400:
        return f"expected an answer, got {status}"
    return None


def walk(app, people: dict, helper: dict, scope) -> list[str]:
    problems = []
    client = _acting_client(app, helper)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        spec = HELPER_SPEC.get(rule.endpoint)
        if spec is None:
            problems.append(f"{rule.endpoint}: no line in HELPER_SPEC (tests/web/test_helper_matrix.py)")
            continue
        if rule.endpoint in ("accounts.sso_start", "accounts.sso_callback"):
            continue  # switched off here: 404 for everyone (the access table checks it)
        path, _owned = _fill(app, rule, people)
        if rule.endpoint == "accounts.start_acting":
            path = f"/acting/{helper['grant']}"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                response = client.get(path)
            else:
                client = _acting_client(app, helper)  # a POST may sign out or stop acting: start fresh each time
                response = client.open(path, method=method, data={"csrf_token": _csrf(client)})
                client = _acting_client(app, helper)
            problem = expected_problem(spec, scope, method, response)
            if problem:
                problems.append(f"{method} {path} ({rule.endpoint}): {problem}")
    return problems


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_a_helper_sees_exactly_the_scope(app, seeded, scope_name):  # noqa: F811
    helper = _helper(app, seeded, scope_name)
    problems = walk(app, seeded, helper, SCOPES[scope_name])
    assert problems == [], f"{scope_name}:\n" + "\n".join(problems)
    with Session(app.extensions["pgo_engine"]) as session:
        logged = session.exec(select(AccessLogEntry).where(AccessLogEntry.actor_id == helper["id"])).all()
    used = {entry.what.partition(":")[2] for entry in logged}
    assert used and used <= set(SCOPES[scope_name][1]), used
    assert all(entry.user_id == seeded["a"] and entry.purpose == "helper" for entry in logged)
    if SCOPES[scope_name][0] == "read":
        assert not any(entry.what.startswith("enter:") for entry in logged)


def test_a_leak_is_caught(app, seeded, monkeypatch):  # noqa: F811
    """Control: the consent page let through to helpers with the measurements category is reported."""
    from pgo.accounts import acting_views

    monkeypatch.setitem(acting_views.DATA_PAGES, "accounts.consent_page", "measurements")
    helper = _helper(app, seeded, "read_measurements")
    problems = walk(app, seeded, helper, SCOPES["read_measurements"])
    assert len(problems) == 1
    assert "accounts.consent_page" in problems[0] and "expected 403, got 200" in problems[0]
