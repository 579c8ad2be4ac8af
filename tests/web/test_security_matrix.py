"""The authorisation matrix: every route of the app x every kind of visitor, with the answer its rule demands.

Generated from ``app.url_map``, so routes added later are covered without editing this file, except for URL
parameters: each parameter name needs a line in ``PARAMETERS`` saying which of patient A's objects it names.
Expected answers:

* anonymous: public routes answer (< 500, never 403); other routes send to the sign-in page;
* the wrong role: 403;
* the right role: an answer below 400 for GET (POST with an empty form: anything below 500), except
* routes that name patient A's objects: patient B, the clinician without consent and the clinician of another
  team get 404 (no IDOR, nothing revealed); patient A and the clinician with consent get an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session, select

from pgo.accounts import consent, teams
from pgo.accounts.models import User
from pgo.accounts.service import create_user
from pgo.demo import DEMO_PASSWORD, seed_demo
from pgo.web.access import Rule, rule_for


@dataclass(frozen=True)
class Parameter:
    """How to fill one URL parameter: a value, and whether it names patient A's own data."""

    value: Callable[[Session, dict], object]
    owned_by_a: bool


def _first_id(model_path: str, owner_field: str = "user_id") -> Callable[[Session, dict], object]:
    def lookup(session: Session, people: dict) -> object:
        module_name, _sep, class_name = model_path.rpartition(".")
        model = getattr(__import__(module_name, fromlist=[class_name]), class_name)
        row = session.exec(select(model).where(getattr(model, owner_field) == people["a"])).first()
        assert row is not None, f"the demo seed has no {class_name} for patient A: seed one in the feature's demo.py"
        return row.id

    return lookup


def _fixed(value: object) -> Callable[[Session, dict], object]:
    return lambda _session, _people: value


# Every URL parameter name used by a route. Add new names here (the test fails with a message until you do).
def _first_document(session: Session, people: dict) -> int:
    from pgo.records.models import RecordEntry

    row = session.exec(
        select(RecordEntry).where(RecordEntry.user_id == people["a"], RecordEntry.category == "document")
    ).first()
    assert row is not None, "the demo seed has no document for patient A"
    return row.id


# Routes that need a query string to name what they show.
QUERIES = {"read_aloud.speak": "?page=overview", "questionnaires.read_aloud": "?item=phq9-1"}

# Where one parameter name means a particular kind of object on one route.
ROUTE_PARAMETERS: dict[tuple[str, str], Parameter] = {
    ("records.document_file", "entry_id"): Parameter(_first_document, owned_by_a=True),
}


def _csv_upload(_session: Session, people: dict) -> str:
    from pathlib import Path

    from pgo.measurements.csv_store import keep_upload

    folder = Path(people["instance"]) / "csv-uploads"
    return keep_upload(folder, user_id=people["a"], text="date,time,type,value\n", file_name="a.csv")


PARAMETERS: dict[str, Parameter] = {
    "job_id": Parameter(_first_id("pgo.records.models.ImportJob"), owned_by_a=True),  # #17
    "type_key": Parameter(_fixed("blood_pressure"), owned_by_a=False),
    "measurement_id": Parameter(_first_id("pgo.measurements.models.Measurement"), owned_by_a=True),
    "upload_id": Parameter(_csv_upload, owned_by_a=True),
    "provider_id": Parameter(_fixed("sandbox"), owned_by_a=False),
    "aid_id": Parameter(_fixed("high-blood-pressure"), owned_by_a=False),
    "response_id": Parameter(_first_id("pgo.decisions.models.DecisionResponse"), owned_by_a=True),
    "number": Parameter(_fixed(1), owned_by_a=False),
    "offer_id": Parameter(_first_id("pgo.questionnaires.models.QuestionnaireOffer"), owned_by_a=True),
    "slug": Parameter(_fixed("allergies"), owned_by_a=False),
    "name": Parameter(_fixed("alerts"), owned_by_a=False),  # a BgZ section (#20)
    "filename": Parameter(_fixed("app.css"), owned_by_a=False),
    "patient_id": Parameter(lambda _s, people: people["a"], owned_by_a=True),
    "user_id": Parameter(lambda _s, people: people["a"], owned_by_a=True),
    "entry_id": Parameter(_first_id("pgo.records.models.RecordEntry"), owned_by_a=True),
    "record_id": Parameter(_first_id("pgo.records.models.RecordEntry"), owned_by_a=True),
    "resource_id": Parameter(_first_id("pgo.records.models.RecordEntry"), owned_by_a=True),
    # a share link (#21): its link is public by design (whoever has it may open it); changing it is A's alone
    "public_id": Parameter(lambda _s, people: people["share"][0], owned_by_a=False),
    "key": Parameter(lambda _s, people: people["share"][1], owned_by_a=False),
    "link_id": Parameter(lambda _s, people: people["share_link_id"], owned_by_a=True),
    # helpers (#21): a grant of A's (changing or using it is A's or A's helper's alone); an open invitation's code
    # is public by design (accepting it needs the invited address)
    "grant_id": Parameter(lambda _s, people: people["helper_grant"], owned_by_a=True),
    "code": Parameter(lambda _s, people: people["invitation"], owned_by_a=False),
}

ROLES = ("anonymous", "patient_a", "patient_b", "clinician_consent", "clinician_no_consent", "clinician_other_team")
KINDS = {
    "anonymous": None,
    "patient_a": "patient",
    "patient_b": "patient",
    "clinician_consent": "clinician",
    "clinician_no_consent": "clinician",
    "clinician_other_team": "clinician",
}
EMAILS = {
    "patient_a": "patient@demo.pgo",
    "patient_b": "b@example.nl",
    "clinician_consent": "clinician@demo.pgo",
    "clinician_no_consent": "nobody-consented@example.nl",
    "clinician_other_team": "other-team@example.nl",
}
SEES_A = {"patient_a", "clinician_consent"}
# Routes that exist only when configured (single sign-on): without configuration they answer 404 to everyone.
OFF_UNLESS_CONFIGURED = {"accounts.sso_start", "accounts.sso_callback"}


@pytest.fixture
def seeded(app):
    """The demo (patient A with data, the clinician of De Linde with A's consent) plus B and two clinicians."""
    with Session(app.extensions["pgo_engine"], expire_on_commit=False) as session:
        demo = seed_demo(session=session)
        extra = {}
        for role in ("patient_b", "clinician_no_consent", "clinician_other_team"):
            extra[role] = create_user(
                session=session, email=EMAILS[role], password=DEMO_PASSWORD, role=KINDS[role], name=role
            )
        other = teams.create_team(session=session, name="Het Anker")
        teams.add_clinician(session=session, team_id=other.id, clinician_id=extra["clinician_other_team"].id)
        b = extra["patient_b"].id
        consent.grant(session=session, patient_id=b, team_id=other.id, category="all", actor_id=b)
        empty = teams.create_team(session=session, name="Zonder toestemming")
        teams.add_clinician(session=session, team_id=empty.id, clinician_id=extra["clinician_no_consent"].id)
        # two share links of A's (#21): one to open (its key exists only here), one for the routes that change one
        from pgo.summary.sharing import create_link

        opened = create_link(session=session, user_id=demo.patient.id, lang="nl", wording="patient")
        changed = create_link(session=session, user_id=demo.patient.id, lang="nl", wording="patient")
        # a helper of A's (#21), and an invitation nobody here can accept
        from pgo.accounts import helpers

        helper = create_user(session=session, email="helper@example.nl", password=DEMO_PASSWORD, name="Helper")
        invited = helpers.invite(session=session, patient=demo.patient, email=helper.email, scope="act",
                                 categories=helpers.HELPER_CATEGORIES)  # fmt: skip
        helpers.accept(session=session, code=invited.code, helper=helper)
        open_invitation = helpers.invite(session=session, patient=demo.patient, email="someone@example.nl",
                                         scope="read", categories=["measurements"])  # fmt: skip
        session.commit()
        app.config["PGO_SANDBOX_URL"] = "http://127.0.0.1:9"  # a configured provider; never contacted here
        return {"a": demo.patient.id, "b": b, "instance": app.instance_path,
                "share": (opened.link.public_id, opened.key), "share_link_id": changed.link.id,
                "helper_grant": invited.grant.id, "invitation": open_invitation.code}  # fmt: skip


def _client(app, role: str):
    client = app.test_client()
    if role != "anonymous":
        html = client.get("/sign-in").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = client.post("/sign-in", data={"email": EMAILS[role], "password": DEMO_PASSWORD, "csrf_token": csrf})
        assert response.status_code == 302, f"{role} could not sign in"
    return client


def _csrf(client) -> str:
    html = client.get("/preferences").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _fill(app, rule, people) -> tuple[str, bool]:
    unknown = sorted(set(rule.arguments) - set(PARAMETERS))
    if unknown:
        pytest.fail(
            f"route {rule.rule} ({rule.endpoint}) has URL parameters {unknown} that the security matrix does not know: "
            "add them to PARAMETERS in tests/web/test_security_matrix.py (which of patient A's objects they name)"
        )
    with Session(app.extensions["pgo_engine"]) as session:
        values = {
            name: ROUTE_PARAMETERS.get((rule.endpoint, name), PARAMETERS[name]).value(session, people)
            for name in rule.arguments
        }
    with app.test_request_context():
        from flask import url_for

        path = url_for(rule.endpoint, **values) + QUERIES.get(rule.endpoint, "")
    return path, any(PARAMETERS[name].owned_by_a for name in rule.arguments)


def _problem(app, rule, role, method, response, owned) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    access = rule_for(app, rule.endpoint)
    if access is None:
        return "the route has no access rule"
    if status >= 500:
        return f"server error {status}"
    if rule.endpoint in OFF_UNLESS_CONFIGURED:
        return None if status == 404 else f"expected 404 while switched off, got {status}"
    if role == "anonymous":
        if access == Rule.PUBLIC:
            return "a public route refused an anonymous visitor" if status == 403 else None
        location = response.headers.get("Location", "")
        return None if status == 302 and "/sign-in" in location else f"expected a redirect to sign in, got {status}"
    kind = KINDS[role]
    if (access == Rule.PATIENT and kind != "patient") or (access == Rule.CLINICIAN and kind != "clinician"):
        return None if status == 403 else f"expected 403 for the wrong role, got {status}"
    if owned and role not in SEES_A:
        allowed = {404} if method == "GET" else {400, 404}
        return None if status in allowed else f"patient A's object answered {status} (expected 404)"
    if method == "GET" and status >= 400:
        return f"expected an answer, got {status}"
    return None


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        methods = rule.methods - {"HEAD", "OPTIONS"}
        yield rule, ("GET" if "GET" in methods else sorted(methods)[0])


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_as_its_rule_demands(app, seeded, role):
    client = _client(app, role)
    problems, checked = [], 0
    for rule, method in _routes(app):
        path, owned = _fill(app, rule, seeded)
        if method == "GET":
            response = client.get(path)
        else:
            client = _client(app, role)  # a POST may sign out or change the session: start fresh each time
            response = client.open(path, method=method, data={"csrf_token": _csrf(client)})
            client = _client(app, role)
        problem = _problem(app, rule, role, method, response, owned)
        if problem:
            problems.append(f"{method} {path} ({rule.endpoint}): {problem}")
        checked += 1
    assert checked >= 10
    assert problems == [], f"{role}:\n" + "\n".join(problems)


def test_patient_b_never_sees_patient_a_objects(app, seeded):
    """Every route that names one of A's objects answers B with 404 and shows nothing of A."""
    client = _client(app, "patient_b")
    with Session(app.extensions["pgo_engine"]) as session:
        a_name = session.get(User, seeded["a"]).name
    for rule, method in _routes(app):
        path, owned = _fill(app, rule, seeded)
        if owned and method == "GET":
            response = client.get(path)
            # clinicians' pages refuse a patient for the role (403) before any object is looked up
            expected = 403 if rule_for(app, rule.endpoint) == Rule.CLINICIAN else 404
            assert response.status_code == expected, path
            assert a_name not in response.get_data(as_text=True)


def test_unknown_parameters_fail_with_a_clear_message(app, seeded):
    from pgo.web.access import signed_in

    app.add_url_rule("/mystery/<int:gizmo_id>", "mystery", signed_in(lambda gizmo_id: "x"))
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "mystery")
    with pytest.raises(pytest.fail.Exception, match="add them to PARAMETERS"):
        _fill(app, rule, seeded)


def test_a_leaky_route_is_caught(app, seeded):
    """Control: a route that shows A's data to anyone signed in is reported by the matrix."""
    from pgo.web.access import signed_in

    app.add_url_rule("/leak/<int:patient_id>", "leak", signed_in(lambda patient_id: f"patient {patient_id}"))
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == "leak")
    client = _client(app, "patient_b")
    path, owned = _fill(app, rule, seeded)
    assert owned
    assert _problem(app, rule, "patient_b", "GET", client.get(path), owned) is not None
