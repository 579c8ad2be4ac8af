"""The record pages issue a bounded number of SQL queries, whatever the size of the record (issue 8)."""

from __future__ import annotations

import pytest
from helpers import csrf_token, get_counting_queries

from pgo.bench.data import generate_record, write_bundle
from pgo.db import session_scope
from pgo.records.importing import import_paths

PASSWORD = "een-lang-genoeg-wachtwoord"


def _patient_with_record(app, tmp_path, email: str, resources: int) -> None:
    from pgo.accounts.service import create_user

    with session_scope(app.extensions["pgo_engine"]) as session:
        user = create_user(session=session, email=email, password=PASSWORD, role="patient", name="Q")
        bundle = write_bundle(generate_record(resources), tmp_path / f"{email}.json")
        assert import_paths(session=session, user_id=user.id, paths=[bundle]).ok


def _queries_for(app, client, path: str) -> int:
    count, response = get_counting_queries(app, client, path)
    assert response.status_code == 200
    return count


def _signed_in(app, email: str):
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("path", ["/records", "/records/results", "/records/medication", "/records/problems"])
def test_a_record_page_asks_the_database_the_same_number_of_times_for_a_small_and_a_large_record(app, tmp_path, path):
    # given two patients, one with a record four times the size of the other (more results, medicines, problems)
    app.config["PGO_FRAGMENT_CACHE"] = False  # the page made each time (a kept page runs no content queries)
    _patient_with_record(app, tmp_path, "small@example.org", 300)
    _patient_with_record(app, tmp_path, "large@example.org", 1200)
    small, large = _signed_in(app, "small@example.org"), _signed_in(app, "large@example.org")
    for client in (small, large):  # warm-up: first-visit work (e.g. session bookkeeping) is not counted
        _queries_for(app, client, path)
    # when each opens the page, then the number of queries does not grow with the record (no query per item)
    in_small, in_large = _queries_for(app, small, path), _queries_for(app, large, path)
    assert in_large <= in_small + 1
    assert in_large <= 20
