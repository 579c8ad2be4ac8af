"""The access table (#23, 2026-12-03): a hand-written spec of who may use which route, checked against the app.

This table is the specification, reviewed like any other: it does NOT ask the code (no ``rule_for``), so a
route whose decorator is wrong, or weaker than it should be, fails here instead of agreeing with itself. A route
or method added to the app without a line here fails too, and so does a line here for a route that is gone.

Each line: (method, URL rule) -> who may use it:

* ``ANYONE``: also without signing in;
* ``SIGNED_IN``: any signed-in person (patient or clinician);
* ``PATIENT`` / ``CLINICIAN``: only that role;
* ``OFF``: exists only when configured (single sign-on); 404 for everyone here.

Expected answers, for the six visitors of the security matrix (anonymous; patient A; patient B; the clinician
with A's consent; a clinician without consent; a clinician of another team):

* not allowed and anonymous: a redirect to the sign-in page; not allowed and signed in: 403;
* allowed, on a route that names one of patient A's objects, but not A nor the clinician with A's consent: 404
  (GET and POST alike: nobody else can read or change A's objects);
* allowed: GET answers below 400; POST (with a valid CSRF token and an empty form) below 500 and never 403.
"""

from __future__ import annotations

import pytest
from test_security_matrix import KINDS, ROLES, SEES_A, _client, _csrf, _fill, seeded  # noqa: F401

ANYONE = frozenset({"anonymous", "patient", "clinician"})
SIGNED_IN = frozenset({"patient", "clinician"})
PATIENT = frozenset({"patient"})
CLINICIAN = frozenset({"clinician"})
OFF = frozenset()

TABLE: dict[tuple[str, str], frozenset[str]] = {
    # public pages and the app's plumbing
    ("GET", "/"): ANYONE,
    ("GET", "/favicon.ico"): ANYONE,
    ("GET", "/health"): ANYONE,
    ("GET", "/hello"): ANYONE,
    ("POST", "/language"): ANYONE,
    ("GET", "/preferences"): ANYONE,
    ("POST", "/preferences"): ANYONE,
    ("GET", "/static/<path:filename>"): ANYONE,
    # signing in and out
    ("GET", "/sign-in"): ANYONE,
    ("POST", "/sign-in"): ANYONE,
    ("GET", "/sign-in/code"): ANYONE,
    ("POST", "/sign-in/code"): ANYONE,
    ("GET", "/sign-in/sso"): OFF,
    ("GET", "/sign-in/sso/callback"): OFF,
    ("POST", "/sign-out"): ANYONE,
    # one's own account
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/account/two-factor"): CLINICIAN,
    ("POST", "/account/two-factor/confirm"): CLINICIAN,
    ("POST", "/account/two-factor/disable"): CLINICIAN,
    ("POST", "/account/two-factor/start"): CLINICIAN,
    ("GET", "/reading-level"): SIGNED_IN,
    ("POST", "/reading-level"): SIGNED_IN,
    ("POST", "/reading-level/save"): SIGNED_IN,
    # the patient's own data, consent and access log
    ("GET", "/access-log"): PATIENT,
    # helpers (#21): the patient's list and invitations; the invitation opens for whoever holds its link (the code
    # is the permission, accepting needs the invited address); acting for someone is a patient account's choice
    ("GET", "/helpers"): PATIENT,
    ("POST", "/helpers"): PATIENT,
    ("POST", "/helpers/birth-date"): PATIENT,
    ("POST", "/helpers/<int:grant_id>/revoke"): PATIENT,
    ("POST", "/helpers/<int:grant_id>/agree"): PATIENT,
    ("GET", "/helpers/invitation/<code>"): ANYONE,
    ("POST", "/helpers/invitation/<code>"): ANYONE,
    ("POST", "/acting/<int:grant_id>"): PATIENT,
    ("POST", "/acting/stop"): SIGNED_IN,
    ("POST", "/helping/<int:grant_id>/stop"): PATIENT,
    ("GET", "/consent"): PATIENT,
    ("POST", "/consent"): PATIENT,
    ("GET", "/read-aloud"): PATIENT,
    ("GET", "/decisions/"): PATIENT,
    ("POST", "/decisions/start/<aid_id>"): PATIENT,
    ("GET", "/decisions/responses/<int:response_id>/steps/<int:number>"): PATIENT,
    ("POST", "/decisions/responses/<int:response_id>/steps/<int:number>"): PATIENT,
    ("POST", "/decisions/responses/<int:response_id>/complete"): PATIENT,
    ("GET", "/decisions/responses/<int:response_id>/summary"): PATIENT,
    # questionnaires (#20)
    ("GET", "/questionnaires/"): PATIENT,
    ("GET", "/questionnaires/<int:offer_id>"): PATIENT,
    ("GET", "/questionnaires/<int:offer_id>/pages/<int:number>"): PATIENT,
    ("POST", "/questionnaires/<int:offer_id>/pages/<int:number>"): PATIENT,
    ("GET", "/questionnaires/<int:offer_id>/summary"): PATIENT,
    ("POST", "/questionnaires/<int:offer_id>/complete"): PATIENT,
    ("GET", "/questionnaires/<int:offer_id>/read-aloud"): PATIENT,
    ("GET", "/measurements"): PATIENT,
    ("GET", "/measurements/<type_key>/history"): PATIENT,
    ("GET", "/measurements/<type_key>/new"): PATIENT,
    ("POST", "/measurements/<type_key>/new"): PATIENT,
    ("GET", "/measurements/import"): PATIENT,
    ("POST", "/measurements/import"): PATIENT,
    ("GET", "/measurements/import/<upload_id>"): PATIENT,
    ("POST", "/measurements/import/<upload_id>"): PATIENT,
    ("GET", "/measurements/result/<int:measurement_id>"): PATIENT,
    ("GET", "/measurements/result/<int:measurement_id>/read-aloud"): PATIENT,
    ("GET", "/decisions/responses/<int:response_id>/steps/<int:number>/read-aloud"): PATIENT,
    ("GET", "/summary"): PATIENT,
    ("POST", "/summary/note"): PATIENT,
    ("GET", "/summary/ips.json"): PATIENT,
    ("GET", "/summary/share"): PATIENT,
    ("POST", "/summary/share"): PATIENT,
    ("POST", "/summary/share/<int:link_id>/revoke"): PATIENT,
    # a share link opens for whoever holds it, signed in or not (#21): the key in the link is the permission
    ("GET", "/summary/shared/<public_id>/<key>"): ANYONE,
    ("POST", "/summary/shared/<public_id>/<key>"): ANYONE,
    ("GET", "/summary/shared/<public_id>/<key>/ips.json"): ANYONE,
    ("POST", "/summary/shared/<public_id>/<key>/ips.json"): ANYONE,
    ("GET", "/records"): PATIENT,
    ("GET", "/records/<any(problems, allergies, vaccinations, procedures, visits, documents):slug>"): PATIENT,
    ("GET", "/records/documents/<int:entry_id>/file"): PATIENT,
    ("GET", "/records/item/<int:entry_id>"): PATIENT,
    ("GET", "/records/more"): PATIENT,  # the BgZ sections (#20)
    (
        "GET",
        '/records/<any("alerts", "directives", "care-plan", "appointments", "care-team", "devices", "nutrition", '
        '"functioning", "insurance"):name>',
    ): PATIENT,
    ("GET", "/records/medication"): PATIENT,
    ("GET", "/records/results"): PATIENT,
    ("GET", "/records/export"): PATIENT,
    ("GET", "/records/import"): PATIENT,
    ("POST", "/records/import"): PATIENT,
    ("GET", "/records/import/report"): PATIENT,
    ("GET", "/records/import/jobs/<int:job_id>"): PATIENT,  # only the patient who uploaded it (#17)
    ("GET", "/records/providers"): PATIENT,
    ("GET", "/records/providers/<provider_id>/connect"): PATIENT,
    ("POST", "/records/providers/<provider_id>/fetch"): PATIENT,
    ("GET", "/records/providers/callback"): PATIENT,
    ("GET", "/records/providers/result"): PATIENT,
    ("GET", "/records/providers/<provider_id>/sending"): PATIENT,  # sending to a provider (#20)
    ("POST", "/records/providers/<provider_id>/sending/permission"): PATIENT,
    ("POST", "/records/providers/<provider_id>/sending/send"): PATIENT,
    ("POST", "/records/providers/<provider_id>/sending/retry"): PATIENT,
    # the clinic
    ("GET", "/clinic/"): CLINICIAN,
    ("GET", "/clinic/catalogue/gaps"): CLINICIAN,
    ("GET", "/clinic/measurements"): CLINICIAN,
    ("GET", "/clinic/patients/<int:patient_id>/decisions/<aid_id>"): CLINICIAN,
    ("POST", "/clinic/patients/<int:patient_id>/decisions/<aid_id>"): CLINICIAN,
    ("GET", "/clinic/patients/<int:patient_id>/measurements"): CLINICIAN,
    ("GET", "/clinic/patients/<int:patient_id>/measurements/plan"): CLINICIAN,
    ("POST", "/clinic/patients/<int:patient_id>/measurements/plan"): CLINICIAN,
    ("GET", "/clinic/patients/<int:patient_id>/offer"): CLINICIAN,
    ("POST", "/clinic/patients/<int:patient_id>/offer"): CLINICIAN,
    ("GET", "/clinic/patients/<int:patient_id>/preparation"): CLINICIAN,
}


def _app_routes(app) -> dict[tuple[str, str], object]:
    routes = {}
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes[(method, rule.rule)] = rule
    return routes


def test_every_route_is_in_the_table_and_nothing_else(app):
    routes = _app_routes(app)
    missing = sorted(set(routes) - set(TABLE))
    stale = sorted(set(TABLE) - set(routes))
    assert missing == [], f"routes without a line in TABLE (tests/web/test_access_table.py): {missing}"
    assert stale == [], f"lines in TABLE for routes the app no longer has: {stale}"


def expected_problem(allowed: frozenset[str], role: str, method: str, owned: bool, response) -> str | None:
    """What is wrong with this answer according to the table, or None."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if status >= 500:
        return f"server error {status}"
    if allowed == OFF:
        return None if status == 404 else f"expected 404 while switched off, got {status}"
    kind = "anonymous" if role == "anonymous" else KINDS[role]
    if kind not in allowed:
        if kind == "anonymous":
            return None if status == 302 and "/sign-in" in location else f"expected a redirect to sign in, got {status}"
        return None if status == 403 else f"expected 403 for a {kind}, got {status}"
    if status == 403:
        return "refused (403) someone the table allows"
    if kind != "anonymous" and status == 302 and "/sign-in?" in location:
        return "sent a signed-in person to sign in"
    if owned and role not in SEES_A:
        return None if status == 404 else f"patient A's object answered {status} (expected 404)"
    if method == "GET" and status >= 400:
        return f"expected an answer, got {status}"
    return None


def walk(app, people, role: str, table: dict) -> list[str]:
    problems = []
    client = _client(app, role)
    for (method, _path), rule in sorted(_app_routes(app).items(), key=lambda item: (item[0][1], item[0][0])):
        key = (method, rule.rule)
        if key not in table:
            continue  # reported by test_every_route_is_in_the_table_and_nothing_else
        path, owned = _fill(app, rule, people)
        if method == "GET":
            response = client.get(path)
        else:
            client = _client(app, role)  # a POST may sign out or change the session: start fresh each time
            response = client.open(path, method=method, data={"csrf_token": _csrf(client)})
            client = _client(app, role)
        problem = expected_problem(table[key], role, method, owned, response)
        if problem:
            problems.append(f"{method} {path}: {problem}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_the_app_answers_as_the_table_says(app, seeded, role):  # noqa: F811
    problems = walk(app, seeded, role, TABLE)
    assert problems == [], f"{role}:\n" + "\n".join(problems)


def test_a_weaker_decorator_is_caught(app, seeded):  # noqa: F811
    """Control: a clinician-only route given the 'signed in' rule (the bug the old matrix could not see)."""
    from pgo.web.access import Rule

    app.view_functions["clinic.home"].pgo_access = Rule.SIGNED_IN
    try:
        problems = walk(app, seeded, "patient_a", {("GET", "/clinic/"): CLINICIAN})
    finally:
        app.view_functions["clinic.home"].pgo_access = Rule.CLINICIAN
    assert len(problems) == 1
    assert "expected 403 for a patient" in problems[0]


def test_a_route_missing_from_the_table_is_caught(app):
    from pgo.web.access import clinician_only

    app.add_url_rule("/clinic/secret", "secret", clinician_only(lambda: "x"))
    with pytest.raises(AssertionError, match=r"routes without a line in TABLE.*/clinic/secret"):
        test_every_route_is_in_the_table_and_nothing_else(app)
