"""Creating people and checking who they are. No Flask here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from pgo.accounts.models import Role, User
from pgo.accounts.passwords import burn_time, hash_password, password_problem, verify_password
from pgo.clock import utcnow
from pgo.i18n import _


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says what to fix, ``field`` where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    *, session: Session, email: str, password: str, role: Role | str = Role.PATIENT, name: str = ""
) -> User:
    """A new account. Raises AccountError when the email is taken, malformed, or the password is too weak."""
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 320:
        raise AccountError(_("Enter an email address like name@example.nl."))
    if role not in (Role.PATIENT, Role.CLINICIAN):
        raise AccountError(_("Choose the role patient or clinician."))
    problem = password_problem(password, email=email)
    if problem:
        raise AccountError(problem)
    if find_user(session, email) is not None:
        raise AccountError(_("There is already an account with this email address."))
    user = User(email=email, role=str(role), name=name.strip(), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class SignInResult:
    user: User | None

    @property
    def ok(self) -> bool:
        return self.user is not None


def authenticate(*, session: Session, email: str, password: str) -> SignInResult:
    """The account for these credentials, or no account. Always spends the same hashing time."""
    user = find_user(session, email)
    if user is None or not user.password_hash:
        burn_time(password)
        return SignInResult(None)
    if not verify_password(user.password_hash, password):
        return SignInResult(None)
    return SignInResult(user)


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError(_("Your current password is not correct."), field="current")
    problem = password_problem(new, email=user.email)
    if problem:
        raise AccountError(problem, field="new")
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    session.add(user)
