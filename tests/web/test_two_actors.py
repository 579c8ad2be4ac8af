"""Two actors (#23, 2026-12-03): nobody but patient A and A's consented clinician can read or change A's data.

The access table (test_access_table.py) checks each outsider's answers (404 on every route that names one of
A's objects); this checks the other half: after patient B, a clinician without consent and a clinician of another
team have tried every such route, GET and POST, not one of A's rows is different, added or gone.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel
from test_access_table import TABLE, _app_routes
from test_security_matrix import KINDS, _client, _csrf, _fill, seeded  # noqa: F401

OUTSIDERS = ("patient_b", "clinician_no_consent", "clinician_other_team")
OWNER_COLUMNS = ("user_id", "patient_id")


def snapshot(app, patient_id: int) -> dict[str, list[tuple]]:
    """Every row of every table that belongs to this patient (by a user_id or patient_id column)."""
    rows = {}
    with Session(app.extensions["pgo_engine"]) as session:
        for name, table in sorted(SQLModel.metadata.tables.items()):
            for column in OWNER_COLUMNS:
                if column in table.c:
                    query = select(table).where(table.c[column] == patient_id).order_by(*table.primary_key.columns)
                    rows[f"{name}.{column}"] = [tuple(row) for row in session.execute(query).all()]
    return rows


def try_everything(app, people, role: str) -> int:
    tried = 0
    for (method, _rule_text), rule in sorted(_app_routes(app).items()):
        path, owned = _fill(app, rule, people)
        if not owned:
            continue
        client = _client(app, role)
        if method == "GET":
            response = client.get(path)
        else:
            response = client.open(path, method=method, data={"csrf_token": _csrf(client)})
        # exact, from the hand-written table: a route of the outsider's role hides A's object (404), a route of the
        # other role refuses (403) (#23, 2026-12-03)
        expected = 404 if KINDS[role] in TABLE[(method, rule.rule)] else 403
        assert response.status_code == expected, f"{role} {method} {path}: {response.status_code}"
        tried += 1
    return tried


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_change_nothing_of_patient_a(app, seeded, role):  # noqa: F811
    before = snapshot(app, seeded["a"])
    assert sum(len(rows) for rows in before.values()) > 20  # the demo gives A data in several tables
    assert try_everything(app, seeded, role) >= 10
    assert snapshot(app, seeded["a"]) == before


def test_the_snapshot_sees_a_change(app, seeded):  # noqa: F811
    """Control: A's own POST (a new weight) shows in the snapshot, in the measurements table."""
    before = snapshot(app, seeded["a"])
    client = _client(app, "patient_a")
    html = client.get("/measurements/body_weight/new").get_data(as_text=True)
    form = {
        name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)
        for name in ("csrf_token", "token")
    }
    response = client.post(
        "/measurements/body_weight/new",
        data=form | {"value": "72.5", "unit": "kg", "day": "2026-12-01", "clock": "08:00"},
    )
    assert response.status_code == 303
    after = snapshot(app, seeded["a"])
    assert len(after["measurement.user_id"]) == len(before["measurement.user_id"]) + 1
