"""Optional second factor for clinicians: a time-based code (TOTP, RFC 6238) from an authenticator app.

* Enrolment: ``start_totp_enrolment`` makes a secret and the provisioning URI (for a QR code); the factor is
  on only after ``confirm_totp`` accepts a first code.
* Verification accepts the current 30-second step and one step either side (clock drift), and never the same
  or an earlier step twice (replay). The step is claimed with one conditional UPDATE, so two app processes
  cannot both accept the same code.
* The secret is stored encrypted (Fernet) with a key derived by HKDF-SHA256 from the app's secret key, which
  the caller passes in: domain code does not read Flask config. Changing the app's secret key makes enrolled
  secrets unreadable, so such users have to enrol again.
* Wrong codes are not counted here: the web layer throttles them like sign-in attempts.
"""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session, col, select, update

from pgo.accounts.models import TotpCredential, User
from pgo.clock import as_utc, utcnow
from pgo.i18n import _

STEP_SECONDS = 30
DIGITS = 6
WINDOW_STEPS = 1
ISSUER = "pgo"


class TotpError(ValueError):
    """A second-factor request that cannot be done; the message says why."""


def _fernet(app_secret: str | bytes) -> Fernet:
    secret = app_secret.encode() if isinstance(app_secret, str) else app_secret
    if len(secret) < 16:
        raise TotpError("the app's secret key is too short to protect second-factor secrets")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pgo", info=b"pgo totp secret v1").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def _credential(session: Session, user_id: int) -> TotpCredential | None:
    return session.exec(
        select(TotpCredential).where(TotpCredential.user_id == user_id).execution_options(populate_existing=True)
    ).first()


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str  # base32, for typing in by hand
    provisioning_uri: str  # otpauth://..., for the QR code


def start_totp_enrolment(*, session: Session, user_id: int, app_secret: str | bytes) -> TotpEnrolment:
    """A new secret for the user (replacing an unconfirmed one); refuses when a factor is already on."""
    user = session.get(User, user_id)
    if user is None or not user.is_clinician:
        raise TotpError(_("A second factor is available for clinicians."))
    existing = _credential(session, user_id)
    if existing is not None and existing.confirmed_at is not None:
        raise TotpError(_("Your second factor is already on. Turn it off first to set up a new one."))
    secret = pyotp.random_base32()
    encrypted = _fernet(app_secret).encrypt(secret.encode()).decode()
    if existing is None:
        existing = TotpCredential(user_id=user_id, secret_encrypted=encrypted)
    existing.secret_encrypted, existing.last_used_step = encrypted, None
    session.add(existing)
    session.flush()
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return TotpEnrolment(secret, uri)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int(as_utc(now).timestamp()) // STEP_SECONDS
    code = "".join(code.split())
    found = None
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    return found


def _claim(session: Session, credential: TotpCredential, code: str, app_secret, now: datetime) -> bool:
    try:
        secret = _fernet(app_secret).decrypt(credential.secret_encrypted.encode()).decode()
    except InvalidToken:
        return False
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    claimed = session.exec(
        update(TotpCredential)
        .where(
            col(TotpCredential.id) == credential.id,
            (col(TotpCredential.last_used_step).is_(None)) | (col(TotpCredential.last_used_step) < step),
        )
        .values(last_used_step=step)
    )
    return claimed.rowcount == 1


def confirm_totp(
    *, session: Session, user_id: int, code: str, app_secret: str | bytes, now: datetime | None = None
) -> bool:
    """Turn the factor on when the first code from the app is right."""
    credential = _credential(session, user_id)
    if credential is None or credential.confirmed_at is not None:
        return False
    now = now or utcnow()
    if not _claim(session, credential, code, app_secret, now):
        return False
    credential = _credential(session, user_id)
    credential.confirmed_at = as_utc(now)
    session.add(credential)
    session.flush()
    return True


def verify_totp(
    *, session: Session, user_id: int, code: str, app_secret: str | bytes, now: datetime | None = None
) -> bool:
    """Whether the code is right for a confirmed factor and its time step has not been used before."""
    credential = _credential(session, user_id)
    if credential is None or credential.confirmed_at is None:
        return False
    return _claim(session, credential, code, app_secret, now or utcnow())


def totp_enabled(*, session: Session, user_id: int) -> bool:
    credential = _credential(session, user_id)
    return credential is not None and credential.confirmed_at is not None


def disable_totp(*, session: Session, user_id: int) -> bool:
    """Turn the factor off (the view asks for the password or a current code first). True when it was on."""
    credential = _credential(session, user_id)
    if credential is None:
        return False
    session.delete(credential)
    session.flush()
    return credential.confirmed_at is not None


def pending_enrolment(*, session: Session, user_id: int, app_secret: str | bytes) -> TotpEnrolment | None:
    """The secret of an enrolment that was started but not confirmed yet (to show it again), else None."""
    credential = _credential(session, user_id)
    user = session.get(User, user_id)
    if credential is None or credential.confirmed_at is not None or user is None:
        return None
    try:
        secret = _fernet(app_secret).decrypt(credential.secret_encrypted.encode()).decode()
    except InvalidToken:
        return None
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return TotpEnrolment(secret, uri)
