"""The access log, in the spirit of NEN 7513: who used which patient's data, when and why.

Every view or export of a patient's data by anyone other than the patient is appended here. The log is
append-only: this module offers no way to change or delete an entry, the ORM refuses it (see the guards in
``pgo.accounts.models``), and a chain of keyed hashes makes changes made behind the app's back detectable:

* each entry stores the previous entry's hash (the first one stores 64 zeros) and its own hash: an HMAC-SHA-256
  over a canonical JSON serialisation of its fields (id included) plus that previous hash;
* the HMAC key is never in the database (#23, 2026-12-03): it is derived with HKDF-SHA-256 from the contents of
  the file PGO_AUDIT_KEY_FILE names, or else from the app's secret key. Someone who can write the database but
  not read that key cannot recompute a single hash, so a rewritten entry or a chain recomputed with a plain hash
  shows;
* ids are consecutive from 1, so a deleted entry leaves a gap;
* the head row (``access_log_head``) holds the newest id and hash, so deleting the newest entries shows too,
  unless the head is set back with them: ``pgo audit anchor`` prints the head to keep elsewhere, and
  ``pgo audit verify --anchor`` checks that the chain still holds that entry with that hash.

Appends keep the chain linear with several app processes: on PostgreSQL a transaction-level advisory lock,
on SQLite a write to the head row before it is read (SQLite then holds the database's write lock until the
transaction ends). Call ``record_access`` before other writes in a transaction, or in its own one.

Chains written before #23 used a plain SHA-256: ``pgo audit rechain`` checks such a chain and rewrites it keyed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import text, update
from sqlmodel import Session, col, select

from pgo.accounts.models import AccessLogEntry, AccessLogHead
from pgo.clock import as_utc, utcnow
from pgo.i18n import _

GENESIS_HASH = "0" * 64
KEY_INFO = b"pgo access log chain v1"
_chain_key: bytes | None = None
CHAIN_LOCK_KEY = 0x70_67_6F_A1  # "pgo" + a1: the advisory lock of the access log chain
HEAD_ID = 1

ACTIONS = ("view", "export", "send", "enter")  # send: pgo sent it to a provider the patient connected (#20);
# enter: a helper entered or answered something for the patient (#21)
# What was used: a consent category or a part of one (a code the patient's log turns into words).
OBJECTS = (
    "measurements",
    "blood_pressure",
    "weight",
    "glucose",
    "decisions",
    "records",
    "notes",
    "overview",
    "summary",  # the health summary, opened through a share link (#21)
    "questionnaires",  # answers to a questionnaire: sent to a provider (#20), or used by a helper (#21)
    "all",
)
PURPOSES = ("care", "consultation", "emergency", "support", "audit", "helper")
CODES = frozenset(f"{action}:{thing}" for action in ACTIONS for thing in OBJECTS)  # what may be logged
ANCHOR = re.compile(r"(\d+):([0-9a-f]{64})")  # as `pgo audit anchor` prints it


class AccessLogError(ValueError):
    """An access that cannot be logged as given (unknown code)."""


class AccessLogBroken(RuntimeError):
    """The chain's head is missing while entries exist: refuse to append until someone looks."""


def entry_fields(entry: AccessLogEntry | Mapping[str, Any]) -> dict[str, Any]:
    """The fields the hash covers, from an entry or a database row."""
    get = entry.get if isinstance(entry, Mapping) else lambda name: getattr(entry, name)
    return {
        "id": get("id"),
        "at": as_utc(get("at")).isoformat(timespec="microseconds"),
        "actor_id": get("actor_id"),
        "actor_role": get("actor_role"),
        "team_id": get("team_id"),
        "patient_id": get("user_id"),
        "what": get("what"),
        "purpose": get("purpose"),
        "detail": get("detail"),
        "prev_hash": get("prev_hash"),
    }


def hkdf_sha256(secret: bytes, info: bytes, length: int = 32) -> bytes:
    """HKDF (RFC 5869) with SHA-256 and an empty salt."""
    prk = hmac.new(b"\0" * 32, secret, hashlib.sha256).digest()
    block, out, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out, counter = out + block, counter + 1
    return out[:length]


def derive_key(app_secret: str | bytes) -> bytes:
    """The chain's key: from the file PGO_AUDIT_KEY_FILE names when set, else from the app's secret key."""
    key_file = os.environ.get("PGO_AUDIT_KEY_FILE", "")
    if key_file:
        try:
            material = open(key_file, "rb").read().strip()  # noqa: SIM115, PTH123
        except OSError as error:
            raise AccessLogBroken(f"the access log key file {key_file} cannot be read: {error.strerror}") from error
        if len(material) < 32:
            raise AccessLogBroken(f"the access log key file {key_file} holds fewer than 32 bytes")
    else:
        material = app_secret.encode("utf-8") if isinstance(app_secret, str) else app_secret
    return hkdf_sha256(material, KEY_INFO)


def use_secret(app_secret: str | bytes) -> None:
    """Set the chain's key from the app's secret key (create_app does this)."""
    global _chain_key
    _chain_key = derive_key(app_secret)


def chain_key() -> bytes:
    """The key set by ``use_secret``, else the one the environment gives (as ``pgo`` commands see it)."""
    if _chain_key is None:
        from pgo import config

        use_secret(config.from_environment()["SECRET_KEY"])
    assert _chain_key is not None
    return _chain_key


def _canonical(entry: AccessLogEntry | Mapping[str, Any]) -> bytes:
    fields = entry_fields(entry)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_digest(entry: AccessLogEntry | Mapping[str, Any], key: bytes | None = None) -> str:
    """The entry's keyed hash (HMAC-SHA-256 with the chain's key)."""
    return hmac.new(key or chain_key(), _canonical(entry), hashlib.sha256).hexdigest()


def plain_digest(entry: AccessLogEntry | Mapping[str, Any]) -> str:
    """The unkeyed SHA-256 of chains written before #23 (only ``rechain`` accepts it)."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _lock_head(session: Session) -> AccessLogHead:
    """The head row, locked for this transaction; created on the first append."""
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    else:  # SQLite: the write takes the database's write lock now, so the read below sees the newest head
        session.execute(
            update(AccessLogHead).where(col(AccessLogHead.id) == HEAD_ID).values(last_id=AccessLogHead.last_id)
        )
    head = session.exec(
        select(AccessLogHead).where(AccessLogHead.id == HEAD_ID).execution_options(populate_existing=True)
    ).first()
    if head is not None:
        return head
    if session.exec(select(AccessLogEntry.id).limit(1)).first() is not None:
        raise AccessLogBroken("access log head is missing while entries exist; run `pgo audit verify`")
    head = AccessLogHead(id=HEAD_ID, last_id=0, last_hash=GENESIS_HASH)
    session.add(head)
    session.flush()
    return head


def _check_codes(whats: Sequence[str], purpose: str) -> None:
    """Refuse an unknown access code or purpose before anything is written."""
    for what in whats:
        if what not in CODES:
            raise AccessLogError(f"unknown access code {what!r}")
    if purpose not in PURPOSES:
        raise AccessLogError(f"unknown purpose {purpose!r}")


def _append(session: Session, head: AccessLogHead, entry: AccessLogEntry) -> AccessLogEntry:
    """Chain ``entry`` after the locked ``head`` with the chain's key and move the head to it."""
    entry.id, entry.prev_hash, entry.entry_hash = head.last_id + 1, head.last_hash, ""
    entry.entry_hash = entry_digest(entry)
    session.add(entry)
    head.last_id, head.last_hash = entry.id, entry.entry_hash
    return entry


def record_access(
    *,
    session: Session,
    actor_id: int | None,
    actor_role: str,
    team_id: int | None,
    patient_id: int,
    what: str,
    purpose: str,
    detail: str = "",
    now: datetime | None = None,
) -> AccessLogEntry | None:
    """Log that ``actor_id`` used ``patient_id``'s data; ``what`` is ``action:object``, e.g. ``view:weight``.

    Returns None when the patient looks at their own data: that is not logged.
    """
    entries = record_accesses(
        session=session,
        actor_id=actor_id,
        actor_role=actor_role,
        team_id=team_id,
        patient_id=patient_id,
        whats=(what,),
        purpose=purpose,
        detail=detail,
        now=now,
    )
    return entries[0] if entries else None


def record_accesses(
    *,
    session: Session,
    actor_id: int | None,
    actor_role: str,
    team_id: int | None,
    patient_id: int,
    whats: Sequence[str],
    purpose: str,
    detail: str = "",
    now: datetime | None = None,
) -> list[AccessLogEntry]:
    """Log several uses of one patient's data at one moment (a page that shows several categories): one entry
    per code in ``whats``, chained in that order, with the chain's head locked and written once.

    Every code is checked before anything is written. Returns [] when the patient looks at their own data.
    """
    if actor_id is not None and actor_id == patient_id:
        return []
    _check_codes(whats, purpose)
    if not whats:
        return []
    head = _lock_head(session)
    at = as_utc(now or utcnow())
    entries = [
        _append(session, head, AccessLogEntry(at=at, actor_id=actor_id, actor_role=actor_role, team_id=team_id,
                                              user_id=patient_id, what=what, purpose=purpose, detail=detail[:200]))
        for what in whats
    ]  # fmt: skip
    session.add(head)
    session.flush()
    return entries


def record_views_of_patients(
    *,
    session: Session,
    actor_id: int,
    actor_role: str,
    views: Sequence[tuple[int, int | None]],
    what: str,
    purpose: str,
    now: datetime | None = None,
) -> list[AccessLogEntry]:
    """Log one use of several patients' data on one page (``views``: patient id and team id, in page order),
    with the chain's head locked and written once: a clinic-wide page of fifty patients writes fifty entries,
    not fifty locks and flushes (issue #22). The actor's own data is not logged."""
    _check_codes((what,), purpose)
    views = [(patient_id, team_id) for patient_id, team_id in views if patient_id != actor_id]
    if not views:
        return []
    head = _lock_head(session)
    at = as_utc(now or utcnow())
    entries = [
        _append(session, head, AccessLogEntry(at=at, actor_id=actor_id, actor_role=actor_role, team_id=team_id,
                                              user_id=patient_id, what=what, purpose=purpose))
        for patient_id, team_id in views
    ]  # fmt: skip
    session.add(head)
    session.flush()
    return entries


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int  # entries checked (up to the first broken one)
    broken_id: int | None = None
    problem: str | None = None  # gap | link | hash | unkeyed | head | anchor | truncated
    head_hash: str = GENESIS_HASH

    def describe(self) -> str:
        if self.ok:
            return _(
                "The access log is intact: %(n)s entries, last hash %(hash)s.",
                n=self.entries,
                hash=self.head_hash,
            )
        reasons: dict[str | None, str] = {
            "gap": _("Entry %(id)s does not follow the entry before it: entries are missing or moved."),
            "link": _("Entry %(id)s does not point to the hash of the entry before it."),
            "hash": _("Entry %(id)s was changed after it was written."),
            "head": _("Entries after %(id)s are missing, or the chain head was changed."),
            "unkeyed": _("Entry %(id)s has a hash without the key: run pgo audit rechain, or it was forged."),
            "anchor": _("Entry %(id)s differs from the anchor kept outside the database."),
            "truncated": _("Entry %(id)s of the anchor is missing: the newest entries were removed."),
        }
        return reasons[self.problem] % {"id": self.broken_id}


def verify_chain(*, session: Session, anchor: str | None = None) -> ChainReport:
    """Recompute the chain from the first entry; report the first entry where it breaks.

    ``anchor`` is a line ``pgo audit anchor`` printed earlier (``<id>:<hash>``): the chain must still hold that
    entry with that hash, so the newest entries cannot have been cut off together with the head.
    """
    anchor_id, anchor_hash = parse_anchor(anchor) if anchor else (None, None)
    anchor_seen = (anchor_id, anchor_hash) == (0, GENESIS_HASH)  # the anchor of an empty log: every chain holds it
    table = AccessLogEntry.__table__
    rows = session.execute(sa_select(table).order_by(table.c.id).execution_options(yield_per=1000)).mappings()
    expected_id, previous, count = 1, GENESIS_HASH, 0
    for row in rows:
        problem = None
        if row["id"] != expected_id:
            problem = "gap"
        elif row["prev_hash"] != previous:
            problem = "link"
        elif not hmac.compare_digest(entry_digest(row), row["entry_hash"]):
            problem = "unkeyed" if plain_digest(row) == row["entry_hash"] else "hash"
        elif row["id"] == anchor_id:
            anchor_seen = True
            if row["entry_hash"] != anchor_hash:
                problem = "anchor"
        if problem:
            rows.close()
            return ChainReport(False, count, row["id"], problem, previous)
        expected_id, previous, count = expected_id + 1, row["entry_hash"], count + 1
    head = (
        session.execute(sa_select(AccessLogHead.__table__).where(AccessLogHead.__table__.c.id == HEAD_ID))
        .mappings()
        .first()
    )
    head_id, head_hash = (head["last_id"], head["last_hash"]) if head else (0, GENESIS_HASH)
    if head_id != count or head_hash != previous:
        return ChainReport(False, count, count, "head", previous)
    if anchor_id is not None and not anchor_seen:
        return ChainReport(False, count, anchor_id, "truncated", previous)
    return ChainReport(True, count, head_hash=previous)


def parse_anchor(anchor: str) -> tuple[int, str]:
    """``<id>:<hash>`` as ``pgo audit anchor`` prints it."""
    match = ANCHOR.fullmatch(anchor.strip())
    if match is None:
        raise AccessLogError(f"an anchor is <id>:<64 hex digits>, not {anchor!r}")
    return int(match[1]), match[2]


def anchor_of(*, session: Session) -> str:
    """The chain's head as ``<id>:<hash>``: keep it outside the database (``pgo audit anchor``)."""
    head = session.get(AccessLogHead, HEAD_ID)
    return f"{head.last_id}:{head.last_hash}" if head else f"0:{GENESIS_HASH}"


def rechain(*, session: Session) -> int:
    """Rewrite a chain of plain SHA-256 hashes (before #23), or a mix of plain and keyed ones, with keyed hashes.

    Every entry is checked first (its link and its plain or keyed hash); a broken chain is refused and nothing is
    written. Returns how many entries were rewritten. The ORM's append-only guard is bypassed on purpose.
    """
    table = AccessLogEntry.__table__
    rows = [dict(row) for row in session.execute(sa_select(table).order_by(table.c.id)).mappings()]
    previous = GENESIS_HASH
    for expected_id, row in enumerate(rows, start=1):
        intact = row["id"] == expected_id and row["prev_hash"] == previous
        if not intact or row["entry_hash"] not in (plain_digest(row), entry_digest(row)):
            raise AccessLogBroken(f"access log entry {row['id']} is broken; not re-chained")
        previous = row["entry_hash"]
    head = session.get(AccessLogHead, HEAD_ID)
    if rows and (head is None or (head.last_id, head.last_hash) != (rows[-1]["id"], previous)):
        raise AccessLogBroken("the access log head does not match its entries; not re-chained")
    previous, changed = GENESIS_HASH, 0
    for row in rows:
        row["prev_hash"] = previous
        digest = entry_digest(row)
        if digest != row["entry_hash"]:
            changed += 1
        session.execute(update(table).where(table.c.id == row["id"]).values(prev_hash=previous, entry_hash=digest))
        previous = digest
    if rows:
        session.execute(
            update(AccessLogHead.__table__).where(AccessLogHead.__table__.c.id == HEAD_ID).values(last_hash=previous)
        )
    return changed
