"""Helpers (#21): invite, accept, act within the scope, refused outside it, revoke holds on the next request."""

from __future__ import annotations

import re
from datetime import date

import pytest
from decisions_web_helpers import PASSWORD
from sqlmodel import select

from pgo.accounts import helpers
from pgo.accounts.models import AccessLogEntry, HelperGrant
from pgo.measurements.models import Measurement


@pytest.fixture
def people(make_user):
    return {
        "anna": make_user("anna@example.nl", name="Anna de Vries"),
        "piet": make_user("piet@example.nl", name="Piet Bakker", reading_level="simple", text_size="xlarge"),
    }


def _invite(client, token, **fields) -> str:
    data = {"email": "piet@example.nl", "scope": "read", "categories": ["measurements"], "relation": "helper"}
    data.update(fields)
    response = client.post("/helpers", data={**data, "csrf_token": token("/helpers")})
    assert response.status_code == 201, response.get_data(as_text=True)[:2000]
    return re.search(r"/helpers/invitation/([A-Za-z0-9_-]+)", response.get_data(as_text=True)).group(1)


def _accept_and_act(helper, code: str, db_session) -> int:
    page = helper.get(f"/helpers/invitation/{code}").get_data(as_text=True)
    assert "Anna de Vries vraagt u om te helpen" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert helper.post(f"/helpers/invitation/{code}", data={"csrf_token": token}).status_code == 303
    grant = db_session.exec(select(HelperGrant)).one()
    assert helper.post(f"/acting/{grant.id}", data={"csrf_token": token}).status_code == 303
    return grant.id


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)"[^>]*name="{name}"', html
    )
    assert match, f"no {name} in the page"
    return match.group(1)


def _entry_form(html: str) -> dict:
    return {name: _field(html, name) for name in ("csrf_token", "token", "day", "clock")}


def test_read_only_helper_sees_within_scope_and_is_refused_outside(client, people, sign_in, token, client_for,
                                                                   db_session):  # fmt: skip
    sign_in("anna@example.nl")
    code = _invite(client, token)
    piet = client_for("piet@example.nl")
    _accept_and_act(piet, code, db_session)

    page = piet.get("/measurements")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "U handelt voor Anna de Vries" in html
    assert "text-xlarge" in html  # the helper's own display preferences apply
    # outside the categories, outside the scope, and the patient's own controls: refused, with the name kept
    for path in ("/records", "/decisions/", "/measurements/blood_pressure/new", "/consent", "/access-log",
                 "/summary/share"):  # fmt: skip
        refused = piet.get(path)
        assert refused.status_code == 403, path
        assert "Anna de Vries" in refused.get_data(as_text=True)
    # the helper's own account still works
    assert piet.get("/account/password").status_code == 200

    # the patient's access log names the helper, on behalf of the patient, in plain words
    log = client.get("/access-log").get_data(as_text=True)
    assert "Piet Bakker, uw helper, bekeek uw metingen voor u op" in log
    db_session.expire_all()
    entries = db_session.exec(select(AccessLogEntry).where(AccessLogEntry.actor_role == "helper")).all()
    assert {(e.what, e.purpose, e.user_id, e.actor_id) for e in entries} == {
        ("view:measurements", "helper", people["anna"].id, people["piet"].id)
    }


def test_revoke_holds_from_the_next_request(client, people, sign_in, token, client_for, db_session):
    sign_in("anna@example.nl")
    code = _invite(client, token)
    piet = client_for("piet@example.nl")
    grant_id = _accept_and_act(piet, code, db_session)
    assert piet.get("/measurements").status_code == 200
    assert client.post(f"/helpers/{grant_id}/revoke", data={"csrf_token": token("/helpers")}).status_code == 303
    refused = piet.get("/measurements")
    assert refused.status_code == 403
    html = refused.get_data(as_text=True)
    assert "Anna de Vries" not in html
    assert "U kunt niet meer handelen voor deze persoon" in html
    # and afterwards the helper sees their own (empty) data again, never Anna's
    own = piet.get("/measurements").get_data(as_text=True)
    assert "U handelt voor" not in own


def test_acting_helper_enters_a_measurement_for_the_patient(client, people, sign_in, token, client_for, db_session):
    sign_in("anna@example.nl")
    code = _invite(client, token, scope="act", categories=["measurements", "records"])
    piet = client_for("piet@example.nl")
    _accept_and_act(piet, code, db_session)
    form = _entry_form(piet.get("/measurements/blood_pressure/new").get_data(as_text=True))
    data = {**form, "systolic": "128", "diastolic": "82", "heart_rate": "70"}
    response = piet.post("/measurements/blood_pressure/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    db_session.expire_all()
    stored = db_session.exec(select(Measurement)).one()
    assert (stored.user_id, stored.entered_by_id) == (people["anna"].id, people["piet"].id)
    result = piet.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ingevoerd door Piet Bakker voor Anna de Vries." in result
    # the history says who entered it, for Anna as for Piet (not "Door u ingevuld")
    for reader in (client, piet):
        history = reader.get("/measurements/blood_pressure/history").get_data(as_text=True)
        assert "Ingevoerd door Piet Bakker voor Anna de Vries." in history
        assert "Door u ingevuld" not in history
    log = client.get("/access-log").get_data(as_text=True)
    assert "Piet Bakker, uw helper, heeft iets ingevoerd of beantwoord in uw metingen voor u op" in log


def test_invitation_for_another_address_cannot_be_accepted(client, people, sign_in, token, make_user, client_for):
    make_user("kees@example.nl", name="Kees")
    sign_in("anna@example.nl")
    code = _invite(client, token)
    kees = client_for("kees@example.nl")
    page = kees.get(f"/helpers/invitation/{code}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = kees.post(f"/helpers/invitation/{code}", data={"csrf_token": csrf})
    assert refused.status_code == 400
    assert "voor een ander e-mailadres" in refused.get_data(as_text=True)
    assert kees.get("/helpers").get_data(as_text=True).count("Handel voor") == 0


def test_new_account_accepts_an_invitation(client, people, sign_in, token, app, db_session):
    sign_in("anna@example.nl")
    code = _invite(client, token, email="nieuw@example.nl")
    other = app.test_client()
    page = other.get(f"/helpers/invitation/{code}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    weak = other.post(f"/helpers/invitation/{code}", data={"csrf_token": csrf, "name": "Nieuw", "password": "kort"})
    assert weak.status_code == 400
    assert db_session.exec(select(HelperGrant)).one().helper_id is None
    done = other.post(
        f"/helpers/invitation/{code}", data={"csrf_token": csrf, "name": "Nieuw", "password": "een lange zin hier"}
    )
    assert done.status_code == 303
    assert "Handel voor Anna de Vries" in other.get("/helpers").get_data(as_text=True)
    assert other.get(f"/helpers/invitation/{code}").status_code == 404  # used once


def test_bad_invitation_input_gets_a_clear_error_and_stores_nothing(client, people, sign_in, token, db_session):
    sign_in("anna@example.nl")
    response = client.post("/helpers", data={"email": "piet@example.nl", "scope": "read", "relation": "helper",
                                              "csrf_token": token("/helpers")})  # fmt: skip
    assert response.status_code == 400
    assert "Kies ten minste één deel van uw gegevens" in response.get_data(as_text=True)
    response = client.post("/helpers", data={"email": "piet@example.nl", "scope": "read", "relation": "parent",
                                              "categories": ["records"], "csrf_token": token("/helpers")})  # fmt: skip
    assert response.status_code == 400
    assert "geboortedatum" in response.get_data(as_text=True)
    assert db_session.exec(select(HelperGrant)).all() == []


def test_child_of_13_must_agree_before_a_parent_acts(client, make_user, sign_in, token, client_for, db_session):
    sam = make_user("kind@example.nl", name="Sam")
    helpers.set_birth_date(session=db_session, user=sam, birth_date=date(date.today().year - 13, 1, 1))
    db_session.commit()
    make_user("ouder@example.nl", name="Ouder")
    sign_in("kind@example.nl")
    code = _invite(client, token, email="ouder@example.nl", relation="parent")
    parent = client_for("ouder@example.nl")
    page = parent.get(f"/helpers/invitation/{code}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    parent.post(f"/helpers/invitation/{code}", data={"csrf_token": csrf})
    grant = db_session.exec(select(HelperGrant)).one()
    assert parent.post(f"/acting/{grant.id}", data={"csrf_token": csrf}).status_code == 404
    html = client.get("/helpers").get_data(as_text=True)
    assert "alleen helpen als u dat goed vindt" in html
    assert client.post(f"/helpers/{grant.id}/agree", data={"csrf_token": token("/helpers")}).status_code == 303
    assert parent.post(f"/acting/{grant.id}", data={"csrf_token": csrf}).status_code == 303
    assert parent.get("/measurements").status_code == 200


def test_a_revoke_in_one_worker_holds_in_another(client, people, sign_in, token, client_for, db_session, app,
                                                 database_url, tmp_path):  # fmt: skip
    """Two app processes on one database (as gunicorn's workers): the helper acts through one, Anna stops it
    through the other, and the helper's next page in the first is refused (nothing is cached per worker)."""
    from pgo import create_app

    sign_in("anna@example.nl")
    code = _invite(client, token)
    piet = client_for("piet@example.nl")
    grant_id = _accept_and_act(piet, code, db_session)
    assert piet.get("/measurements").status_code == 200
    other = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SESSION_COOKIE_SECURE")},
                        "PGO_DATABASE_URL": database_url, "PGO_INSTANCE_PATH": str(tmp_path / "other")})  # fmt: skip
    try:
        anna = other.test_client()
        csrf = _field(anna.get("/sign-in").get_data(as_text=True), "csrf_token")
        anna.post("/sign-in", data={"email": "anna@example.nl", "password": PASSWORD, "csrf_token": csrf})
        csrf = _field(anna.get("/helpers").get_data(as_text=True), "csrf_token")
        assert anna.post(f"/helpers/{grant_id}/revoke", data={"csrf_token": csrf}).status_code == 303
    finally:
        other.extensions["pgo_engine"].dispose()
    assert piet.get("/measurements").status_code == 403


def test_the_helper_stops_helping(client, people, sign_in, token, client_for, db_session):
    sign_in("anna@example.nl")
    code = _invite(client, token)
    piet = client_for("piet@example.nl")
    grant_id = _accept_and_act(piet, code, db_session)
    csrf = _field(piet.get("/account/password").get_data(as_text=True), "csrf_token")
    # not while acting: that page is Anna's, not his
    assert piet.post(f"/helping/{grant_id}/stop", data={"csrf_token": csrf}).status_code == 403
    piet.post("/acting/stop", data={"csrf_token": csrf})
    assert client.post(f"/helping/{grant_id}/stop", data={"csrf_token": token("/helpers")}).status_code == 404
    assert piet.post(f"/helping/{grant_id}/stop", data={"csrf_token": csrf}).status_code == 303
    assert "Gelukt: u helpt deze persoon niet meer." in piet.get("/helpers").get_data(as_text=True)
    assert "Piet Bakker" not in client.get("/helpers").get_data(as_text=True)
