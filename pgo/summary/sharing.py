"""Share the summary by link, in the style of SMART Health Links (issue #21).

The patient makes a link to a copy of the summary as it is now (and its IPS Bundle), with an expiry (7 days unless
chosen, at most a year) and optionally a code to type. The copy is encrypted with AES-256-GCM; its key is derived
(HKDF-SHA256) from 32 random bytes that exist only in the link (``/summary/shared/<public id>/<key>``) and from the
code, when there is one. The server keeps the ciphertext, a salt and a nonce, never the key: whoever reads the
database cannot read a shared summary, and a wrong code cannot be told from a wrong key except by trying, which the
throttle limits (the sign-in throttle's table and numbers: 5 failures per link, 20 per address, in 15 minutes).

Every opening is written to the patient's access log (``view:summary``, detail ``share-link:<id>``), so the patient
sees when each link was opened. A revoked, expired, unknown or wrongly keyed link opens nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session, col, select

from pgo.accounts import audit
from pgo.accounts.models import AccessLogEntry
from pgo.accounts.throttle import record_sign_in_attempt, throttle_check
from pgo.clock import as_utc, utcnow
from pgo.summary.health import HealthSummary, health_summary
from pgo.summary.ips import ips_bundle
from pgo.summary.models import ShareLink

_LINK_KEY = re.compile(r"(/summary/shared/[^/\s?#]+/)[^/\s?#\"]+")

DEFAULT_DAYS = 7
MAX_DAYS = 365
KEY_BYTES = 32
ACTOR_ROLE = "share_link"
LOG_WHAT = "view:summary"
_INFO = b"pgo share link v1"


class ShareError(ValueError):
    """A link that cannot be made as asked (the view words it)."""


class Unavailable(Exception):
    """The link opens nothing: ``reason`` is unknown, expired, revoked, needs_code, wrong_code or throttled."""

    def __init__(self, reason: str, retry_after: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


@dataclass(frozen=True)
class CreatedLink:
    link: ShareLink
    key: str  # the link's secret part: shown once, never stored


@dataclass(frozen=True)
class Opened:
    summary: HealthSummary
    ips: dict[str, Any]
    link: ShareLink


def without_link_keys(text: str) -> str:
    """``text`` (a log line, a Referer) with the secret part of every share link replaced: the key to a shared
    summary must not end up in the server's logs either."""
    return _LINK_KEY.sub(r"\1[key]", text)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def normal_code(code: str) -> str:
    """The code as typed, without spaces and case: '12 34 ab' and '1234AB' are one code."""
    return "".join(unicodedata.normalize("NFKC", code or "").split()).upper()


def _key(secret: bytes, salt: bytes, public_id: str, code: str) -> bytes:
    info = _INFO + b"\x1f" + public_id.encode() + b"\x1f" + normal_code(code).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def create_link(
    *, session: Session, user_id: int, lang: str, wording: str, level: str = "standard", days: int = DEFAULT_DAYS,
    code: str = "", label: str = "", now: datetime | None = None,
) -> CreatedLink:  # fmt: skip
    """A new link to a copy of the person's summary as it is now."""
    if not 1 <= days <= MAX_DAYS:
        raise ShareError("days")
    if code and not 4 <= len(normal_code(code)) <= 20:
        raise ShareError("code")
    now = as_utc(now or utcnow())
    summary = health_summary(session=session, user_id=user_id, lang=lang, wording=wording, level=level, today=now)
    payload = {"summary": summary.to_dict(), "ips": ips_bundle(session=session, user_id=user_id, now=now)}
    plain = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    secret, salt, nonce = secrets.token_bytes(KEY_BYTES), secrets.token_bytes(16), secrets.token_bytes(12)
    public_id = secrets.token_urlsafe(12)
    ciphertext = AESGCM(_key(secret, salt, public_id, code)).encrypt(nonce, plain, public_id.encode())
    link = ShareLink(
        public_id=public_id, user_id=user_id, label=label.strip()[:100], lang=summary.lang, wording=summary.wording,
        needs_code=bool(code), salt=salt, nonce=nonce, ciphertext=ciphertext, created_at=now,
        expires_at=now + timedelta(days=days),
    )  # fmt: skip
    session.add(link)
    session.flush()
    return CreatedLink(link, _b64(secret))


def _throttle_key(public_id: str) -> str:
    return f"share-link:{public_id[:40]}"


def _failed(session: Session, public_id: str, address: str, now: datetime) -> None:
    record_sign_in_attempt(session=session, email=_throttle_key(public_id), address=address, succeeded=False, now=now)
    session.commit()  # kept, whatever the answer does next


def open_link(
    *, session: Session, public_id: str, key: str, code: str = "", address: str, now: datetime | None = None
) -> Opened:
    """The shared summary, or ``Unavailable``; each failure counts for the throttle, each opening is logged."""
    now = as_utc(now or utcnow())
    decision = throttle_check(session=session, email=_throttle_key(public_id), address=address, now=now)
    if not decision.allowed:
        raise Unavailable("throttled", decision.retry_after)
    link = session.exec(select(ShareLink).where(ShareLink.public_id == public_id)).first()
    try:
        secret = _unb64(key)
    except (binascii.Error, ValueError):
        secret = b""
    if link is None or len(secret) != KEY_BYTES:
        _failed(session, public_id, address, now)
        raise Unavailable("unknown")
    if link.revoked_at is not None:
        raise Unavailable("revoked")
    if as_utc(link.expires_at) <= now:
        raise Unavailable("expired")
    if link.needs_code and not code:
        raise Unavailable("needs_code")
    try:
        plain = AESGCM(_key(secret, link.salt, link.public_id, code)).decrypt(
            link.nonce, link.ciphertext, link.public_id.encode()
        )
    except InvalidTag:
        _failed(session, public_id, address, now)
        raise Unavailable("wrong_code" if link.needs_code else "unknown") from None
    payload = json.loads(zlib.decompress(plain))
    audit.record_access(
        session=session, actor_id=None, actor_role=ACTOR_ROLE, team_id=None, patient_id=link.user_id, what=LOG_WHAT,
        purpose="care", detail=f"share-link:{link.id}", now=now,
    )  # fmt: skip
    record_sign_in_attempt(session=session, email=_throttle_key(public_id), address=address, succeeded=True, now=now)
    session.commit()
    return Opened(HealthSummary.from_dict(payload["summary"]), payload["ips"], link)


def revoke_link(*, session: Session, user_id: int, link_id: int, now: datetime | None = None) -> bool:
    """Stop a link of the person's own from opening anything; False when it is not theirs (or unknown)."""
    link = session.get(ShareLink, link_id)
    if link is None or link.user_id != user_id:
        return False
    if link.revoked_at is None:
        link.revoked_at = as_utc(now or utcnow())
        session.add(link)
        session.flush()
    return True


@dataclass(frozen=True)
class LinkView:
    """One of the person's links as their list shows it."""

    id: int
    label: str
    lang: str
    wording: str
    needs_code: bool
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    openings: tuple[datetime, ...]  # newest first

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if as_utc(self.expires_at) <= as_utc(now) else "active"


def links_of(*, session: Session, user_id: int) -> list[LinkView]:
    """The person's links, newest first, each with the moments it was opened (from the access log)."""
    links = session.exec(select(ShareLink).where(ShareLink.user_id == user_id).order_by(col(ShareLink.id).desc())).all()
    openings: dict[str, list[datetime]] = {}
    rows = session.exec(
        select(AccessLogEntry.detail, AccessLogEntry.at)
        .where(AccessLogEntry.user_id == user_id, AccessLogEntry.what == LOG_WHAT,
               AccessLogEntry.actor_role == ACTOR_ROLE)
        .order_by(col(AccessLogEntry.id).desc())
    )  # fmt: skip
    for detail, at in rows:
        openings.setdefault(detail, []).append(at)
    return [
        LinkView(link.id or 0, link.label, link.lang, link.wording, link.needs_code, link.created_at, link.expires_at,
                 link.revoked_at, tuple(openings.get(f"share-link:{link.id}", [])))
        for link in links
    ]  # fmt: skip
