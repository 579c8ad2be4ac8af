"""Signing in and out, sessions, roles and the password change."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from pgo.accounts.models import SignInSession
from pgo.clock import as_utc, utcnow


def test_sign_in_and_out(client, make_user, sign_in, token):
    make_user("anna@example.nl", name="Anna de Vries")
    response = sign_in("anna@example.nl")
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "Welkom, Anna de Vries" in html
    response = client.post("/sign-out", data={"csrf_token": token()})
    assert response.status_code == 302
    assert "Inloggen" in client.get("/").get_data(as_text=True)
    assert client.get("/account/password").status_code == 302


def test_failed_sign_in_is_generic(client, make_user, sign_in):
    make_user("anna@example.nl")
    wrong_password = sign_in("anna@example.nl", "not-the-password").get_data(as_text=True)
    unknown = sign_in("nobody@example.nl", "not-the-password").get_data(as_text=True)
    message = "Het e-mailadres of het wachtwoord klopt niet."
    assert message in wrong_password
    assert message in unknown


def test_sign_in_goes_back_to_the_page_asked_for(client, make_user, sign_in):
    make_user("anna@example.nl")
    response = client.get("/account/password")
    assert response.status_code == 302
    assert "next=/account/password" in response.headers["Location"]
    token = (
        __import__("re")
        .search(
            r'name="csrf_token" value="([^"]+)"',
            client.get(response.headers["Location"]).get_data(as_text=True),
        )
        .group(1)
    )
    response = client.post(
        "/sign-in",
        data={
            "email": "anna@example.nl",
            "password": "correct-paard-batterij",
            "next": "/account/password",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/account/password"


def test_session_rotates_on_sign_in(client, make_user, sign_in, db_session):
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    first = db_session.exec(select(SignInSession.token_hash)).all()
    sign_in("anna@example.nl")
    second = db_session.exec(select(SignInSession.token_hash)).all()
    assert len(first) == len(second) == 1
    assert first != second


def test_session_expires_after_inactivity(client, make_user, sign_in, db_session):
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    assert client.get("/account/password").status_code == 200
    record = db_session.exec(select(SignInSession)).one()
    record.last_seen_at = record.last_seen_at - timedelta(minutes=31)
    db_session.add(record)
    db_session.commit()
    assert client.get("/account/password").status_code == 302
    assert db_session.exec(select(SignInSession)).all() == []


def test_the_cookie_is_sent_again_when_the_session_activity_moves_not_on_every_answer(
    client, make_user, sign_in, db_session
):
    make_user("anna@example.nl")
    assert "pgo_session=" in sign_in("anna@example.nl").headers["Set-Cookie"]
    client.get("/account/password")  # the page's form puts a new CSRF secret in the session: sent once
    assert "Set-Cookie" not in client.get("/account/password").headers  # within a minute nothing moved
    record = db_session.exec(select(SignInSession)).one()
    record.last_seen_at = record.last_seen_at - timedelta(minutes=2)
    db_session.add(record)
    db_session.commit()
    moved = client.get("/account/password")
    assert moved.status_code == 200 and "pgo_session=" in moved.headers["Set-Cookie"]
    db_session.refresh(record)
    assert utcnow() - as_utc(record.last_seen_at) < timedelta(seconds=10)
    assert "Set-Cookie" not in client.get("/account/password").headers


def test_cookies_are_http_only_and_same_site(app, make_user, sign_in, client):
    make_user("anna@example.nl")
    cookie = sign_in("anna@example.nl").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_flag_when_configured(app, make_user, client, sign_in):
    app.config["SESSION_COOKIE_SECURE"] = True
    make_user("anna@example.nl")
    cookie = sign_in("anna@example.nl").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_password_change(client, make_user, sign_in, token):
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    response = client.post(
        "/account/password",
        data={
            "current": "wrong-password!",
            "new": "een-nieuwe-zin-1",
            "csrf_token": token("/account/password"),
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-describedby="current-error"' in html
    assert "Uw huidige wachtwoord klopt niet." in html
    response = client.post(
        "/account/password",
        data={"current": "correct-paard-batterij", "new": "kort", "csrf_token": token("/account/password")},
    )
    assert "Kies een wachtwoord van minstens 10 tekens." in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current": "correct-paard-batterij",
            "new": "een-nieuwe-zin-1",
            "csrf_token": token("/account/password"),
        },
    )
    assert response.status_code == 302
    client.post("/sign-out", data={"csrf_token": token()})
    assert sign_in("anna@example.nl", "een-nieuwe-zin-1").status_code == 302


def test_password_change_signs_out_other_devices(client, make_user, sign_in, token, client_for):
    make_user("anna@example.nl")
    other = client_for("anna@example.nl")
    assert other.get("/account/password").status_code == 200
    sign_in("anna@example.nl")
    client.post(
        "/account/password",
        data={
            "current": "correct-paard-batterij",
            "new": "een-nieuwe-zin-1",
            "csrf_token": token("/account/password"),
        },
    )
    assert client.get("/account/password").status_code == 200
    assert other.get("/account/password").status_code == 302
