"""TOTP second factor: enrolment, verification window, replay protection, disable, encryption at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from pgo.accounts.models import TotpCredential
from pgo.accounts.totp import (
    TotpError,
    confirm_totp,
    disable_totp,
    start_totp_enrolment,
    totp_enabled,
    verify_totp,
)

KEY = "test-secret-key-of-the-app-0123456789"
T0 = datetime(2026, 3, 3, 9, 0, 0, tzinfo=UTC)  # a step boundary


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


@pytest.fixture
def enrolled(session, people):
    enrolment = start_totp_enrolment(session=session, user_id=people.jansen.id, app_secret=KEY)
    assert confirm_totp(
        session=session, user_id=people.jansen.id, code=code_at(enrolment.secret, T0), app_secret=KEY, now=T0
    )
    session.commit()
    return enrolment.secret


def _verify(session, people, code, now, key=KEY):
    return verify_totp(session=session, user_id=people.jansen.id, code=code, app_secret=key, now=now)


def test_enrolment_needs_a_first_code(session, people):
    enrolment = start_totp_enrolment(session=session, user_id=people.jansen.id, app_secret=KEY)
    assert enrolment.provisioning_uri.startswith("otpauth://totp/pgo:jansen%40linde.nl?")
    assert "issuer=pgo" in enrolment.provisioning_uri
    stored = session.exec(select(TotpCredential)).one()
    assert enrolment.secret not in stored.secret_encrypted
    assert not totp_enabled(session=session, user_id=people.jansen.id)
    good = code_at(enrolment.secret, T0)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    assert not confirm_totp(session=session, user_id=people.jansen.id, code=wrong, app_secret=KEY, now=T0)
    assert not _verify(session, people, good, T0)  # not on before confirmation
    assert confirm_totp(session=session, user_id=people.jansen.id, code=good, app_secret=KEY, now=T0)
    assert totp_enabled(session=session, user_id=people.jansen.id)
    with pytest.raises(TotpError, match="al aan"):
        start_totp_enrolment(session=session, user_id=people.jansen.id, app_secret=KEY)


def test_only_clinicians_enrol(session, people):
    with pytest.raises(TotpError, match="er voor zorgverleners"):
        start_totp_enrolment(session=session, user_id=people.anna.id, app_secret=KEY)


def test_window_of_one_step_either_side(session, people, enrolled):
    later = T0 + timedelta(minutes=10)
    assert not _verify(session, people, code_at(enrolled, later - timedelta(seconds=60)), later)
    assert _verify(session, people, code_at(enrolled, later - timedelta(seconds=30)), later)
    assert _verify(session, people, code_at(enrolled, later), later)
    assert _verify(session, people, code_at(enrolled, later + timedelta(seconds=30)), later)
    assert not _verify(session, people, code_at(enrolled, later + timedelta(seconds=60)), later)


def test_a_code_is_accepted_once(session, people, enrolled):
    later = T0 + timedelta(minutes=5)
    code = code_at(enrolled, later)
    assert _verify(session, people, code, later)
    assert not _verify(session, people, code, later + timedelta(seconds=10))  # replay
    # an older code, still inside the window, after a newer one was used
    assert not _verify(session, people, code_at(enrolled, later - timedelta(seconds=30)), later)
    assert not _verify(session, people, code_at(enrolled, T0), T0)  # the confirmation code


def test_wrong_app_secret_or_disabled_factor_fails(session, people, enrolled):
    later = T0 + timedelta(minutes=1)
    assert not _verify(session, people, code_at(enrolled, later), later, key="another-secret-key-0123456789")
    assert disable_totp(session=session, user_id=people.jansen.id)
    assert not totp_enabled(session=session, user_id=people.jansen.id)
    assert not _verify(session, people, code_at(enrolled, later), later)
    assert not disable_totp(session=session, user_id=people.jansen.id)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=-200, max_value=200), at=st.integers(min_value=60, max_value=10**6))
def test_accepted_exactly_within_one_step(session, people, enrolled, offset, at):
    now = T0 + timedelta(seconds=at)
    code_time = now + timedelta(seconds=offset)
    step_difference = int(code_time.timestamp()) // 30 - int(now.timestamp()) // 30
    code = code_at(enrolled, code_time)
    # a different step may by chance have the same code: then that step's acceptance is what we see
    same_code_nearby = any(
        code_at(enrolled, now + timedelta(seconds=30 * d)) == code for d in (-1, 0, 1) if d != step_difference
    )
    accepted = _verify(session, people, code, now)
    session.rollback()  # back to the confirmed state for the next example
    assert accepted == (abs(step_difference) <= 1 or same_code_nearby)
