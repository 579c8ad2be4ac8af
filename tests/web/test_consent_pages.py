"""The patient's consent page and access log through the web layer."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from pgo.accounts import audit, consent, teams
from pgo.accounts.models import ConsentEvent, ConsentGrant


@pytest.fixture
def people(make_user, db_session):
    anna = make_user("anna@example.nl", name="Anna de Vries")
    bert = make_user("bert@example.nl", name="Bert")
    doctor = make_user("doc@example.nl", role="clinician", name="Dr. Jansen")
    team = teams.create_team(session=db_session, name="De Linde")
    teams.add_clinician(session=db_session, team_id=team.id, clinician_id=doctor.id)
    db_session.commit()
    return {"anna": anna, "bert": bert, "doctor": doctor, "team": team}


def _grants(db_session, patient_id):
    db_session.expire_all()
    return sorted(
        g.category
        for g in db_session.exec(select(ConsentGrant).where(ConsentGrant.user_id == patient_id)).all()
        if g.revoked_at is None
    )


def test_consent_page_needs_a_signed_in_patient(client, people, sign_in):
    assert client.get("/consent").status_code == 302
    sign_in("doc@example.nl")
    assert client.get("/consent").status_code == 403


def test_patient_grants_and_revokes_and_sees_the_history(client, people, sign_in, token, db_session):
    anna, team = people["anna"], people["team"]
    sign_in("anna@example.nl")
    html = client.get("/consent").get_data(as_text=True)
    assert "Praktijk De Linde" in html
    assert "Dit team mag dit niet zien." in html
    data = {"team_id": team.id, "category": "measurements", "action": "grant", "csrf_token": token("/consent")}
    response = client.post("/consent", data=data)
    assert response.status_code == 302
    assert _grants(db_session, anna.id) == ["measurements"]
    client.post("/consent", data=data)  # double submission changes nothing
    assert _grants(db_session, anna.id) == ["measurements"]
    assert len(db_session.exec(select(ConsentEvent)).all()) == 1
    html = client.get("/consent").get_data(as_text=True)
    assert "U gaf Praktijk De Linde toegang tot uw metingen op" in html
    client.post("/consent", data={**data, "action": "revoke"})
    assert _grants(db_session, anna.id) == []
    html = client.get("/consent").get_data(as_text=True)
    assert "U trok de toegang van Praktijk De Linde tot uw metingen in op" in html
    assert (
        consent.can_view(
            session=db_session, clinician_id=people["doctor"].id, patient_id=anna.id, category="measurements"
        )
        is False
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"team_id": "999", "category": "measurements", "action": "grant"},
        {"team_id": "x", "category": "measurements", "action": "grant"},
        {"category": "measurements", "action": "grant"},
        {"team_id": "1", "category": "everything", "action": "grant"},
        {"team_id": "1", "category": "records", "action": "delete"},
    ],
)
def test_bad_consent_requests_store_nothing(client, people, sign_in, token, db_session, bad):
    sign_in("anna@example.nl")
    response = client.post("/consent", data={**bad, "csrf_token": token("/consent")})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert db_session.exec(select(ConsentEvent)).all() == []


def test_consent_post_without_token_is_refused(client, people, sign_in, db_session):
    sign_in("anna@example.nl")
    data = {"team_id": people["team"].id, "category": "all", "action": "grant"}
    assert client.post("/consent", data=data).status_code == 400
    assert db_session.exec(select(ConsentEvent)).all() == []


def test_revocation_holds_on_the_next_request_of_the_clinician(app, client, people, sign_in, token, db_session):
    from pgo.accounts.patient_views import patient_in_view
    from pgo.web.access import signed_in

    @signed_in
    def show(patient_id):
        return patient_in_view(patient_id, category="records", what="view:records").name

    app.add_url_rule("/probe/<int:patient_id>", "probe", show)
    anna, team = people["anna"], people["team"]
    consent.grant(session=db_session, patient_id=anna.id, team_id=team.id, category="all", actor_id=anna.id)
    db_session.commit()
    doctor = app.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', doctor.get("/sign-in").get_data(as_text=True)).group(1)
    doctor.post("/sign-in", data={"email": "doc@example.nl", "password": "correct-paard-batterij", "csrf_token": csrf})
    assert doctor.get(f"/probe/{anna.id}").status_code == 200
    sign_in("anna@example.nl")
    client.post("/consent", data={"team_id": team.id, "category": "records", "action": "revoke", "csrf_token": token()})
    assert doctor.get(f"/probe/{anna.id}").status_code == 404
    html = client.get("/access-log").get_data(as_text=True)
    assert "Dr. Jansen (Praktijk De Linde) bekeek uw dossiergegevens op" in html


def test_access_log_shows_plain_sentences_newest_first_and_pages(client, people, sign_in, db_session):
    anna, bert, doctor, team = people["anna"], people["bert"], people["doctor"], people["team"]
    for what in ["view:weight"] * 24 + ["view:blood_pressure"]:
        audit.record_access(
            session=db_session,
            actor_id=doctor.id,
            actor_role="clinician",
            team_id=team.id,
            patient_id=anna.id,
            what=what,
            purpose="care",
        )
    audit.record_access(
        session=db_session,
        actor_id=doctor.id,
        actor_role="clinician",
        team_id=team.id,
        patient_id=bert.id,
        what="view:glucose",
        purpose="care",
    )
    db_session.commit()
    sign_in("anna@example.nl")
    html = client.get("/access-log").get_data(as_text=True)
    items = re.findall(r"<li>.*?</li>", html.split('class="access-log"')[1], re.S)
    assert "Dr. Jansen (Praktijk De Linde) bekeek uw bloeddruk op" in items[0]
    assert len([i for i in items if "bekeek" in i]) == 20
    assert "bloedsuiker" not in html  # Bert's log is Bert's
    older = re.search(r'href="(/access-log\?before=\d+)"', html).group(1)
    html = client.get(older).get_data(as_text=True)
    assert len(re.findall(r"bekeek uw gewicht", html)) == 5
    assert "Oudere meldingen" not in html
    assert client.get("/access-log?before=abc").status_code == 200


def test_access_log_is_empty_for_a_new_patient(client, people, sign_in):
    sign_in("bert@example.nl")
    html = client.get("/access-log").get_data(as_text=True)
    assert "Niemand anders heeft uw gegevens bekeken." in html


def test_menu_has_the_consent_and_log_entries_for_patients_only(client, people, sign_in, token):
    sign_in("anna@example.nl")
    html = client.get("/consent").get_data(as_text=True)
    assert 'href="/consent" aria-current="page"' in html
    assert 'href="/access-log"' in html and 'href="/access-log" aria-current' not in html
    client.post("/sign-out", data={"csrf_token": token()})
    sign_in("doc@example.nl")
    assert 'href="/consent"' not in client.get("/").get_data(as_text=True)
