"""Guard: every route declares who may open it; a route without a rule is refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from helpers import csrf_token

from pgo.web.access import Rule, clinician_only, patient_only, rule_for, signed_in


def test_every_route_has_an_access_rule(app):
    missing = [
        f"{rule.rule} ({rule.endpoint})" for rule in app.url_map.iter_rules() if rule_for(app, rule.endpoint) is None
    ]
    assert missing == [], f"routes without an access rule: {missing}"


def test_every_rule_is_known(app):
    known = {r.value for r in Rule}
    assert {rule_for(app, rule.endpoint) for rule in app.url_map.iter_rules()} <= known


def test_a_route_without_a_rule_is_refused(app):
    app.add_url_rule("/unguarded", "unguarded", lambda: "secret")
    response = app.test_client().get("/unguarded")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def test_role_rules(app, make_user, client_for):
    app.add_url_rule("/only-clinicians", "only_clinicians", clinician_only(lambda: "clinic"))
    app.add_url_rule("/only-patients", "only_patients", patient_only(lambda: "patient"))
    make_user("p@example.nl")
    make_user("c@example.nl", role="clinician")
    patient, clinician, anonymous = (
        client_for("p@example.nl"),
        client_for("c@example.nl"),
        app.test_client(),
    )
    assert patient.get("/only-patients").status_code == 200
    assert patient.get("/only-clinicians").status_code == 403
    assert clinician.get("/only-clinicians").status_code == 200
    assert clinician.get("/only-patients").status_code == 403
    assert anonymous.get("/only-patients").status_code == 302


def test_each_rule_lets_in_exactly_its_people(app, make_user, client_for):
    """#23 (2026-12-03): exact answers per rule and visitor, a POST with a valid CSRF token (so the CSRF 400 cannot
    hide the role check), the way back after signing in, and Flask's own 404 for an unknown address."""
    app.add_url_rule("/anyone-signed-in", "anyone_signed_in", signed_in(lambda: "mine"))
    app.add_url_rule("/patients-post", "patients_post", patient_only(lambda: "posted"), methods=["POST"])
    app.add_url_rule("/clinicians-post", "clinicians_post", clinician_only(lambda: "posted"), methods=["POST"])
    make_user("p@example.nl")
    make_user("c@example.nl", role="clinician")
    patient, clinician, anonymous = client_for("p@example.nl"), client_for("c@example.nl"), app.test_client()

    assert patient.get("/anyone-signed-in").status_code == 200
    assert clinician.get("/anyone-signed-in").status_code == 200
    roles = ((patient, "/patients-post", "/clinicians-post"), (clinician, "/clinicians-post", "/patients-post"))
    for visitor, allowed, refused in roles:
        token = csrf_token(visitor, "/preferences")
        assert visitor.post(allowed, data={"csrf_token": token}).status_code == 200
        refusal = visitor.post(refused, data={"csrf_token": token})
        assert refusal.status_code == 403
        assert "posted" not in refusal.get_data(as_text=True)

    for path in ("/anyone-signed-in", "/anyone-signed-in?week=2", "/anyone-signed-in?code=QX"):  # exactly back
        answer = anonymous.get(path)
        assert answer.status_code == 302
        target = urlsplit(answer.headers["Location"])
        assert (target.path, parse_qs(target.query)) == ("/sign-in", {"next": [path]})
    assert anonymous.get("/no-such-page").status_code == 404
    assert patient.get("/no-such-page").status_code == 404
