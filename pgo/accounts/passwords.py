"""Password hashing with argon2id and the password rules (NIST SP 800-63B: length, not composition)."""

from __future__ import annotations

import os
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pgo.i18n import _

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache(maxsize=2)
def _hasher(fast: bool) -> PasswordHasher:
    if fast:  # tests only: the production costs take ~170 ms a hash on these machines
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hasher() -> PasswordHasher:
    return _hasher(os.environ.get("PGO_ARGON2_FAST") == "1")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A fixed hash to verify against when the account does not exist, so that timing does not reveal it.
_DUMMY_HASH_SOURCE = "pgo-no-such-account"


def burn_time(password: str) -> None:
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(_DUMMY_HASH_SOURCE)


def password_problem(password: str, *, email: str = "") -> str | None:
    """What is wrong with a new password, in the reader's language, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Choose a password of at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Choose a password of at most %(n)s characters.", n=MAX_LENGTH)
    if email and password.lower() == email.lower():
        return _("Choose a password that is not your email address.")
    if password.lower() in _COMMON:
        return _("This password is too common. Choose a different one.")
    return None


_COMMON = frozenset(
    {
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "wachtwoord",
        "wachtwoord1",
        "wachtwoord123",
        "password123",
        "password1234",
        "welkom12345",
        "aaaaaaaaaa",
        "0123456789",
        "iloveyou123",
    }
)
