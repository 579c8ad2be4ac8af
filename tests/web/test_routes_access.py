"""Guard: every route declares who may open it; a route without a rule is refused."""

from __future__ import annotations

from pgo.web.access import Rule, rule_for


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
    from pgo.web.access import clinician_only, patient_only

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
