"""Sign-in throttling (per account, per address, no enumeration) and the clinician's TOTP second step."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlmodel import select

from pgo.accounts import totp
from pgo.accounts.models import SignInAttempt, SignInSession
from pgo.accounts.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT

LONG_SECRET = "a-test-secret-long-enough-for-totp"
REFUSED = "Te veel pogingen om in te loggen. Probeer het over"


def test_account_throttle_is_the_same_for_existing_and_unknown_accounts(client, make_user, sign_in):
    make_user("anna@example.nl")
    answers = {}
    for email in ("anna@example.nl", "nobody@example.nl"):
        for _ in range(ACCOUNT_LIMIT):
            assert sign_in(email, "wrong-password").status_code == 400
        refused = sign_in(email, "wrong-password")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        html = refused.get_data(as_text=True)
        assert REFUSED in html
        answers[email] = re.sub(r'value="[^"]*"', "", html.split("<main")[1])
    assert answers["anna@example.nl"] == answers["nobody@example.nl"].replace("nobody@", "anna@")
    # even the right password is refused while throttled, and no session starts
    assert sign_in("anna@example.nl").status_code == 429


def test_refused_attempts_are_not_counted_and_a_success_clears_the_account(client, make_user, sign_in, db_session):
    make_user("anna@example.nl")
    for _ in range(ACCOUNT_LIMIT - 1):
        sign_in("anna@example.nl", "wrong-password")
    assert sign_in("anna@example.nl").status_code == 302
    assert sign_in("anna@example.nl", "wrong-password").status_code == 400  # the counter starts again
    failures = db_session.exec(select(SignInAttempt).where(SignInAttempt.succeeded == False)).all()  # noqa: E712
    assert len(failures) == ACCOUNT_LIMIT


def test_address_throttle_across_accounts(app, make_user, sign_in):
    make_user("anna@example.nl")
    for number in range(ADDRESS_LIMIT):
        sign_in(f"guess{number}@example.nl", "wrong-password")
    response = sign_in("anna@example.nl")
    assert response.status_code == 429
    other_address = app.test_client()
    html = other_address.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    ok = other_address.post(
        "/sign-in",
        data={"email": "anna@example.nl", "password": "correct-paard-batterij", "csrf_token": csrf},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert ok.status_code == 302


@pytest.fixture
def clinician_with_totp(app, make_user, db_session):
    app.config["SECRET_KEY"] = LONG_SECRET
    doctor = make_user("doc@example.nl", role="clinician", name="Dr. Jansen")
    enrolment = totp.start_totp_enrolment(session=db_session, user_id=doctor.id, app_secret=LONG_SECRET)
    secret = enrolment.secret
    code = pyotp.TOTP(secret).now()
    assert totp.confirm_totp(session=db_session, user_id=doctor.id, code=code, app_secret=LONG_SECRET)
    db_session.commit()
    return doctor, secret


def _next_code(secret: str, step: int = 1) -> str:
    import time

    return pyotp.TOTP(secret).at(time.time() + 30 * step)


# A clock that starts just after a 30-second step boundary (#23): codes made in a test are never a step apart
# from the server's because the real clock crossed a boundary in between.
STEP_START = datetime(2026, 12, 3, 9, 0, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(STEP_START, tick=True):
        yield


def test_second_step_asks_for_the_code(client, clinician_with_totp, sign_in, token, db_session):
    doctor, secret = clinician_with_totp
    response = sign_in("doc@example.nl")
    assert response.headers["Location"] == "/sign-in/code"
    assert db_session.exec(select(SignInSession)).all() == []  # not signed in yet
    assert client.get("/account/two-factor").status_code == 302
    bad = client.post("/sign-in/code", data={"code": "000000", "csrf_token": token("/sign-in/code")})
    assert bad.status_code == 400
    assert "De code klopt niet." in bad.get_data(as_text=True)
    junk = client.post("/sign-in/code", data={"code": "abc", "csrf_token": token("/sign-in/code")})
    assert junk.status_code == 400
    ok = client.post("/sign-in/code", data={"code": _next_code(secret), "csrf_token": token("/sign-in/code")})
    assert ok.status_code == 302
    assert client.get("/account/two-factor").status_code == 200


def test_second_step_is_throttled_and_needs_the_password_step(client, clinician_with_totp, sign_in, token):
    assert client.get("/sign-in/code").status_code == 302  # nothing pending
    sign_in("doc@example.nl")
    for _ in range(ACCOUNT_LIMIT):
        client.post("/sign-in/code", data={"code": "000000", "csrf_token": token("/sign-in/code")})
    response = client.post("/sign-in/code", data={"code": "000000", "csrf_token": token("/sign-in/code")})
    assert response.status_code == 429
    assert REFUSED in response.get_data(as_text=True)


def test_enrol_confirm_and_disable(app, client, make_user, sign_in, token, db_session):
    app.config["SECRET_KEY"] = LONG_SECRET
    make_user("doc@example.nl", role="clinician")
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    assert client.get("/account/two-factor").status_code == 403  # clinicians only
    client.post("/sign-out", data={"csrf_token": token()})
    sign_in("doc@example.nl")
    client.post("/account/two-factor/start", data={"csrf_token": token("/account/two-factor")})
    html = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", html).group(1)
    assert "otpauth://totp/pgo:doc%40example.nl?secret=" in html
    wrong = client.post("/account/two-factor/confirm", data={"code": "123456", "csrf_token": token()})
    assert wrong.status_code == 400
    assert secret in wrong.get_data(as_text=True)  # shown again to try once more
    right = client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token()})
    assert right.status_code == 302
    doctor_id = db_session.exec(select(SignInSession.user_id)).first()
    assert totp.totp_enabled(session=db_session, user_id=doctor_id)
    refused = client.post("/account/two-factor/disable", data={"password": "wrong", "csrf_token": token()})
    assert refused.status_code == 400
    assert totp.totp_enabled(session=db_session, user_id=doctor_id)
    data = {"password": "correct-paard-batterij", "code": _next_code(secret), "csrf_token": token()}
    assert client.post("/account/two-factor/disable", data=data).status_code == 302
    db_session.expire_all()
    assert not totp.totp_enabled(session=db_session, user_id=doctor_id)


def test_the_password_alone_does_not_turn_off_the_second_factor(
    client, clinician_with_totp, sign_in, token, monkeypatch
):
    """#17: a clinician's second factor could be switched off with the password alone."""
    doctor, secret = clinician_with_totp
    sign_in("doc@example.nl")
    client.post("/sign-in/code", data={"code": _next_code(secret), "csrf_token": token("/sign-in/code")})
    page = token("/account/two-factor")
    alone = client.post("/account/two-factor/disable", data={"password": "correct-paard-batterij", "csrf_token": page})
    assert alone.status_code == 400
    wrong = {"password": "correct-paard-batterij", "code": "000000", "csrf_token": page}
    assert client.post("/account/two-factor/disable", data=wrong).status_code == 400
    with client.application.app_context():
        from pgo.web.database import get_session

        assert totp.totp_enabled(session=get_session(), user_id=doctor.id)
    # a minute later, with that minute's next code (the sign-in used the code of the step after now)
    later = totp.utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(totp, "utcnow", lambda: later)
    right = {"password": "correct-paard-batterij", "code": _next_code(secret, 3), "csrf_token": page}
    assert client.post("/account/two-factor/disable", data=right).status_code == 302


def test_turning_off_the_second_factor_is_throttled(client, clinician_with_totp, sign_in, token):
    """#17: unlimited password guesses at /account/two-factor/disable."""
    _doctor, secret = clinician_with_totp
    sign_in("doc@example.nl")
    client.post("/sign-in/code", data={"code": _next_code(secret), "csrf_token": token("/sign-in/code")})
    page = token("/account/two-factor")
    for _ in range(ACCOUNT_LIMIT):
        guess = {"password": "guess", "code": "000000", "csrf_token": page}
        assert client.post("/account/two-factor/disable", data=guess).status_code == 400
    right = {"password": "correct-paard-batterij", "code": _next_code(secret, 2), "csrf_token": page}
    response = client.post("/account/two-factor/disable", data=right)
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_the_password_change_is_throttled_like_sign_in(client, make_user, sign_in, token):
    """#17: unlimited guesses at the current password on /account/password."""
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    page = token("/account/password")
    for _ in range(ACCOUNT_LIMIT):
        guess = {"current": "guess-guess-guess", "new": "een-nieuw-lang-wachtwoord", "csrf_token": page}
        assert client.post("/account/password", data=guess).status_code == 400
    right = {"current": "correct-paard-batterij", "new": "een-nieuw-lang-wachtwoord", "csrf_token": page}
    response = client.post("/account/password", data=right)
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "Te veel pogingen" in response.get_data(as_text=True)
