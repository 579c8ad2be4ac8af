"""Ids out of the database's range (#17, 2026-12-03): every route with a number answers 404, never a 500.

Any numeric id >= 2**63 reached the database, which cannot hold it (SQLite: "Python int too large", PostgreSQL:
"out of range for type bigint"), and answered 500. Walks ``app.url_map``, so routes added later are covered.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session
from werkzeug.routing import IntegerConverter

from pgo.demo import DEMO_PASSWORD, seed_demo
from pgo.web.access import Rule, rule_for

TOO_LARGE = [2**63, 2**64 + 1, 10**30]


@pytest.fixture
def seeded(app):
    with Session(app.extensions["pgo_engine"], expire_on_commit=False) as session:
        seed_demo(session=session)
        session.commit()


def signed_in(app, email: str):
    client = app.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    response = client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf})
    assert response.status_code == 302
    return client


def numbered_rules(app):
    for rule in app.url_map.iter_rules():
        names = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]  # noqa: SLF001
        if names:
            yield rule, names


def test_every_route_with_a_number_answers_404_for_an_id_out_of_range(app, seeded):
    clients = {
        Rule.PATIENT: signed_in(app, "patient@demo.pgo"),
        Rule.CLINICIAN: signed_in(app, "clinician@demo.pgo"),
    }
    clients[Rule.SIGNED_IN] = clients[Rule.PATIENT]
    clients[Rule.PUBLIC] = clients[Rule.PATIENT]
    checked, problems = 0, []
    for rule, names in numbered_rules(app):
        client = clients[rule_for(app, rule.endpoint)]
        for value in TOO_LARGE:
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<[^>]*:{name}>|<{name}>", str(value) if name in names else "x", path)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                status = client.open(path, method=method).status_code
                checked += 1
                if status != 404:
                    problems.append(f"{method} {path} ({rule.endpoint}): {status}")
    assert checked > 10
    assert problems == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/records/results?item={n}&level=simple", 200),
        ("/records/results?page={n}", 200),
        ("/records?page={n}", 200),
        ("/measurements/blood_pressure/history?page={n}", 200),
        ("/read-aloud?item={n}&level=simple", 404),  # no such item to read aloud
        ("/reading-level?answer={n}", 200),
    ],
)
def test_a_number_out_of_range_in_a_query_is_ignored(app, seeded, path, status):
    client = signed_in(app, "patient@demo.pgo")
    for value in TOO_LARGE:
        assert client.get(path.format(n=value)).status_code == status, (path, value)


def test_the_consent_form_refuses_a_team_id_out_of_range(app, seeded):
    client = signed_in(app, "patient@demo.pgo")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/consent").get_data(as_text=True)).group(1)
    for value in TOO_LARGE:
        form = {"team_id": str(value), "category": "all", "action": "grant", "csrf_token": csrf}
        response = client.post("/consent", data=form)
        assert response.status_code == 400
        assert "Kies opnieuw" in response.get_data(as_text=True) or "Choose again" in response.get_data(as_text=True)
