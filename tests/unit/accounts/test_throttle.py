"""Sign-in throttling per account and per address, with a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import delete, select

from pgo.accounts.models import SignInAttempt
from pgo.accounts.throttle import (
    ACCOUNT_LIMIT,
    ADDRESS_LIMIT,
    WINDOW,
    client_key,
    prune_sign_in_attempts,
    record_sign_in_attempt,
    throttle_check,
)
from pgo.i18n import use_locale

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = T0

    def tick(self, **delta):
        self.now += timedelta(**delta)
        return self.now


def _fail(session, clock, email="anna@example.nl", address="192.0.2.1", step=10):
    decision = throttle_check(session=session, email=email, address=address, now=clock.now)
    if decision.allowed:
        record_sign_in_attempt(session=session, email=email, address=address, succeeded=False, now=clock.now)
    clock.tick(seconds=step)
    return decision


def test_account_refused_after_five_failures_until_the_window_passes(session):
    clock = Clock()
    for _ in range(ACCOUNT_LIMIT):
        assert _fail(session, clock).allowed
    refused = throttle_check(session=session, email="ANNA@example.nl", address="198.51.100.7", now=clock.now)
    assert (refused.allowed, refused.reason) == (False, "account")  # from another address too
    # the first failure was at T0: the window frees one slot at T0 + 15 min
    assert refused.retry_after == int((T0 + WINDOW - clock.now).total_seconds())
    with use_locale("nl"):
        assert refused.message() == "Te veel pogingen om in te loggen. Probeer het over 15 minuten opnieuw."
    clock.now = T0 + WINDOW - timedelta(seconds=1)
    assert not throttle_check(session=session, email="anna@example.nl", address="192.0.2.1", now=clock.now).allowed
    clock.now = T0 + WINDOW
    assert throttle_check(session=session, email="anna@example.nl", address="192.0.2.1", now=clock.now).allowed
    # other accounts were never affected
    assert throttle_check(session=session, email="bram@example.nl", address="192.0.2.1", now=T0 + WINDOW / 2).allowed


def test_success_clears_the_account_but_not_the_address(session):
    clock = Clock()
    for _ in range(ACCOUNT_LIMIT - 1):
        _fail(session, clock)
    record_sign_in_attempt(session=session, email="anna@example.nl", address="192.0.2.1", succeeded=True, now=clock.now)
    clock.tick(seconds=1)
    for _ in range(ACCOUNT_LIMIT - 1):
        assert _fail(session, clock).allowed
    assert throttle_check(session=session, email="anna@example.nl", address="192.0.2.1", now=clock.now).allowed
    # the address keeps counting: guessing at other accounts between own sign-ins does not help
    for i in range(ADDRESS_LIMIT - 2 * (ACCOUNT_LIMIT - 1)):
        _fail(session, clock, email=f"victim{i}@example.nl")
    decision = throttle_check(session=session, email="new@example.nl", address="192.0.2.1", now=clock.now)
    assert (decision.allowed, decision.reason) == (False, "address")
    assert throttle_check(session=session, email="new@example.nl", address="192.0.2.2", now=clock.now).allowed


def test_ipv6_counts_per_network():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_key(" 192.0.2.1 ") == "192.0.2.1"
    assert client_key("not-an-address") == "not-an-address"


def test_refused_attempts_do_not_extend_the_lockout(session):
    clock = Clock()
    for _ in range(ACCOUNT_LIMIT):
        _fail(session, clock)
    for _ in range(30):  # keeps hammering while refused
        assert not _fail(session, clock, step=20).allowed
    assert clock.now < T0 + WINDOW
    assert throttle_check(session=session, email="anna@example.nl", address="192.0.2.9", now=T0 + WINDOW).allowed


def test_prune_forgets_only_attempts_outside_the_window(session):
    clock = Clock()
    for _ in range(3):
        _fail(session, clock, step=60 * 10)
    assert prune_sign_in_attempts(session=session, now=T0 + WINDOW + timedelta(minutes=5)) == 1
    assert len(session.exec(select(SignInAttempt)).all()) == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gaps=st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=15))
def test_never_more_than_the_limit_in_any_window(session, gaps):
    session.exec(delete(SignInAttempt))
    clock = Clock()
    for gap in gaps:
        _fail(session, clock, step=gap)
    times = sorted(a.at for a in session.exec(select(SignInAttempt)).all())
    for i, start in enumerate(times):
        assert len([t for t in times[i:] if t < start + WINDOW]) <= ACCOUNT_LIMIT
    session.rollback()
