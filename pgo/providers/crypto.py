"""Tokens at rest: Fernet with a key derived from the app's secret (HKDF-SHA256), never in plain text."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"pgo provider tokens v1"


def token_cipher(secret_key: str) -> Fernet:
    """A Fernet cipher for ``secret_key`` (the app's SECRET_KEY); the same secret always gives the same key."""
    if not secret_key:
        raise ValueError("a secret key is needed to store provider tokens")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret_key: str, value: str | None) -> str | None:
    if value is None:
        return None
    return token_cipher(secret_key).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(secret_key: str, value: str | None) -> str | None:
    """The plain token, or None when there is none or it was sealed with another secret."""
    if value is None:
        return None
    try:
        return token_cipher(secret_key).decrypt(value.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return None
