"""Sign-in throttling, kept in the database so that every app process sees the same attempts.

The numbers (a sliding window of 15 minutes, fixed back-off):

* an account is refused after 5 failed attempts within 15 minutes since its last successful sign-in;
* a client address is refused after 20 failed attempts within 15 minutes, whichever accounts they were for
  (IPv6 addresses count per /64 network, since one household or server usually has a whole /64);
* a refusal lasts until the window has slid far enough that fewer failures remain in it; ``retry_after``
  says how many seconds that is.

A successful sign-in clears the account's counter but not the address's: otherwise someone could sign in to
their own account between guesses at other people's. Refused attempts are not recorded (the view does not
even check the password), so an attacker cannot keep a victim locked out for longer than the window.
The check and the record are separate statements: two processes racing at the limit may let one extra
attempt through, which does not matter for these numbers.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from pgo.accounts.models import SignInAttempt
from pgo.accounts.service import normalise_email
from pgo.clock import as_utc, utcnow
from pgo.i18n import ngettext

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


@dataclass(frozen=True)
class ThrottleDecision:
    allowed: bool
    retry_after: int = 0  # seconds until the next attempt is allowed
    reason: str | None = None  # account | address

    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return ngettext(
            "Too many sign-in attempts. Try again in %(num)s minute.",
            "Too many sign-in attempts. Try again in %(num)s minutes.",
            minutes,
        )


def client_key(address: str) -> str:
    """The address as throttling counts it: IPv4 as is, IPv6 as its /64 network."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _free_at(failures: list[datetime], limit: int) -> datetime | None:
    """When fewer than ``limit`` of these failures (oldest first) remain in the window; None: already."""
    if len(failures) < limit:
        return None
    return as_utc(failures[len(failures) - limit]) + WINDOW


def _failures(session: Session, condition, since: datetime) -> list[datetime]:
    return list(
        session.exec(
            select(SignInAttempt.at)
            .where(condition, col(SignInAttempt.succeeded).is_(False), col(SignInAttempt.at) > since)
            .order_by(col(SignInAttempt.at))
        ).all()
    )


def throttle_check(*, session: Session, email: str, address: str, now: datetime | None = None) -> ThrottleDecision:
    """May this sign-in attempt go ahead? Call before checking the password."""
    now = as_utc(now or utcnow())
    email, key = normalise_email(email), client_key(address)
    since = now - WINDOW
    last_success = session.exec(
        select(func.max(SignInAttempt.at)).where(SignInAttempt.email == email, col(SignInAttempt.succeeded))
    ).one()
    account_since = max(since, as_utc(last_success)) if last_success else since
    waits = {
        "account": _free_at(_failures(session, SignInAttempt.email == email, account_since), ACCOUNT_LIMIT),
        "address": _free_at(_failures(session, SignInAttempt.address == key, since), ADDRESS_LIMIT),
    }
    blocked = {reason: at for reason, at in waits.items() if at is not None and at > now}
    if not blocked:
        return ThrottleDecision(True)
    reason, until = max(blocked.items(), key=lambda item: item[1])
    return ThrottleDecision(False, max(1, math.ceil((until - now).total_seconds())), reason)


def record_sign_in_attempt(
    *, session: Session, email: str, address: str, succeeded: bool, now: datetime | None = None
) -> None:
    """Remember an attempt that was allowed and checked; a success clears the account's counter."""
    session.add(
        SignInAttempt(
            email=normalise_email(email),
            address=client_key(address),
            succeeded=succeeded,
            at=as_utc(now or utcnow()),
        )
    )
    session.flush()


def prune_sign_in_attempts(*, session: Session, now: datetime | None = None) -> int:
    """Forget attempts older than the window (they no longer count); returns how many went."""
    cutoff = as_utc(now or utcnow()) - WINDOW
    result = session.exec(delete(SignInAttempt).where(col(SignInAttempt.at) <= cutoff))
    session.flush()
    return result.rowcount
