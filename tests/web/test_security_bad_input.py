"""Wild input through the web layer: no server error, a clear message, nothing stored on refusal.

Routes other features add later (the record upload, measurement entry) are found in ``app.url_map``; their
tests skip while the route does not exist.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from pgo.accounts.models import SignInSession, User

WILD = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400)
printable = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=400)
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Bundle [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/><entry><resource>
<Patient xmlns="http://hl7.org/fhir"><id value="x"/><name><family value="&secret;"/></name></Patient>
</resource></entry></Bundle>"""


def _snapshot(db_session):
    db_session.expire_all()
    users = db_session.exec(select(User)).all()
    sessions = db_session.exec(select(func.count()).select_from(SignInSession)).one()
    return sessions, [(u.email, u.text_size, u.high_contrast, u.simplified, u.reading_level, u.locale) for u in users]


def _route(app, *words: str, method: str = "POST") -> str | None:
    for rule in app.url_map.iter_rules():
        if method in rule.methods and not rule.arguments and all(w in rule.rule for w in words):
            return rule.rule
    return None


@WILD
@given(email=text, password=text, next_=text)
def test_sign_in_with_wild_input(client, make_user, token, db_session, email, password, next_):
    if not db_session.exec(select(User)).first():
        make_user("anna@example.nl")
    before = _snapshot(db_session)
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "next": next_, "csrf_token": token("/sign-in")}
    )
    assert response.status_code in (400, 429)
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert _snapshot(db_session) == before


@WILD
@given(
    fields=st.dictionaries(
        st.sampled_from(["text_size", "high_contrast", "simplified", "reading_level", "language"]),
        printable,
        max_size=5,
    )
)
def test_preferences_with_wild_input(client, make_user, sign_in, token, db_session, fields):
    if not db_session.exec(select(User)).first():
        make_user("anna@example.nl")
        sign_in("anna@example.nl")
    before = _snapshot(db_session)
    response = client.post("/preferences", data={**fields, "csrf_token": token("/preferences")})
    assert response.status_code in (302, 400)  # stored and sent on, or refused with the form again
    if response.status_code == 400:  # refused: a message and nothing changed
        assert 'class="error-summary"' in response.get_data(as_text=True)
        assert _snapshot(db_session) == before


@WILD
@given(fields=st.dictionaries(st.sampled_from(["team_id", "category", "action"]), text, max_size=3))
def test_consent_with_wild_input(client, make_user, sign_in, token, db_session, fields):
    from pgo.accounts.models import ConsentEvent

    if not db_session.exec(select(User)).first():
        make_user("anna@example.nl")
        sign_in("anna@example.nl")
    response = client.post("/consent", data={**fields, "csrf_token": token("/consent")})
    assert response.status_code == 400
    assert db_session.exec(select(ConsentEvent)).all() == []


def test_preferences_with_control_characters(client, token):
    """The page checker (valid HTML) runs on the answer: control characters never come back."""
    response = client.post(
        "/preferences", data={"simplified": "\x01", "text_size": "x\x00", "csrf_token": token("/preferences")}
    )
    assert response.status_code == 400
    assert "\x01" not in response.get_data(as_text=True)


def test_oversized_requests_get_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = client.post("/sign-in", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "Het bestand is te groot" in response.get_data(as_text=True)


def test_the_configured_upload_limit_is_bounded(app):
    assert 0 < app.config["MAX_CONTENT_LENGTH"] <= 100 * 1024 * 1024
    assert app.config["MAX_FORM_PARTS"] <= 1000


@pytest.fixture
def upload_path():
    return "/records/import"


def test_upload_refuses_external_entities(client, make_user, sign_in, token, db_session, upload_path):
    from io import BytesIO

    from pgo.records.models import RecordResource

    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    data = {"csrf_token": token(upload_path), "files": (BytesIO(XXE), "bundle.xml"), "file": (BytesIO(XXE), "b.xml")}
    response = client.post(upload_path, data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/records/import/report")
    report = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "bundle.xml is geen geldige FHIR-XML" in report  # refused by name, in the user's language
    assert "root:" not in report
    assert db_session.exec(select(RecordResource)).all() == []


def test_upload_over_the_limit_is_413(app, client, make_user, sign_in, token, upload_path):
    from io import BytesIO

    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    csrf = token(upload_path)
    app.config["MAX_CONTENT_LENGTH"] = 4096
    data = {"csrf_token": csrf, "files": (BytesIO(b"{" + b" " * 10_000 + b"}"), "big.json")}
    assert client.post(upload_path, data=data, content_type="multipart/form-data").status_code == 413


@WILD
@given(wild=text)
def test_measurement_entry_with_wild_input(client, make_user, sign_in, db_session, wild):
    """Whatever is typed into the blood-pressure form: no server error, a message, nothing stored on refusal."""
    import re

    from pgo.measurements.models import Measurement

    if not db_session.exec(select(User)).first():
        make_user("anna@example.nl")
        sign_in("anna@example.nl")
    path = "/measurements/blood_pressure/new"
    form = client.get(path).get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|token)" type="hidden" value="([^"]*)"', form))
    fields |= dict(re.findall(r'name="(csrf_token|token)" value="([^"]*)"', form))
    before = len(db_session.exec(select(Measurement)).all())
    response = client.post(path, data={**fields, "systolic": wild, "diastolic": wild, "note": wild})
    assert response.status_code in (302, 400), wild
    after = len(db_session.exec(select(Measurement)).all())
    if response.status_code == 400:
        assert after == before
        assert 'class="error-summary"' in response.get_data(as_text=True)
    else:
        assert after == before + 1
