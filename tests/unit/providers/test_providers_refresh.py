"""Refreshing a connection as real authorization servers expect it (#24): no scope on refresh, one refresh at a
time per connection, and a withdrawn grant told apart from an expired one."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

from sqlmodel import Session

from pgo.clock import utcnow
from pgo.i18n import use_locale
from pgo.providers import refresh, save_connection, sync_provider
from pgo.providers.models import CONNECTED, NEEDS_CONSENT, ProviderConnection

SECRET = "test secret key for provider tokens"


def FakeImport():  # noqa: N802 (stands in for the importer, as in test_providers_sync)
    return lambda *, session, user_id, resources, source: len(resources)


def test_a_refresh_asks_for_no_scope_beyond_the_granted_one(provider, connect):
    """Finding 1: configured `offline_access`, granted only `patient/*.read`; the refresh must still work."""
    provider = replace(provider, scopes=("patient/*.read", "offline_access"))
    tokens = connect(provider)
    assert tokens.scope == "patient/*.read"
    renewed = refresh(provider, tokens.refresh_token)
    assert renewed.access_token != tokens.access_token and renewed.refresh_token != tokens.refresh_token


def test_the_granted_scope_and_the_rotated_refresh_token_are_kept(session, patient, provider, connect):
    provider = replace(provider, scopes=("patient/*.read", "offline_access"))
    connection = save_connection(
        session=session, user_id=patient.id, provider=provider, tokens=connect(provider), secret_key=SECRET
    )
    old_refresh = connection.refresh_token_encrypted
    connection.expires_at = utcnow() - timedelta(minutes=1)
    report = sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=FakeImport()
    )
    assert report.ok and connection.scopes == "patient/*.read"
    assert connection.refresh_token_encrypted != old_refresh


def test_a_withdrawn_grant_is_told_apart_from_an_expired_one(session, patient, provider, connect, behave):
    save_connection(session=session, user_id=patient.id, provider=provider, tokens=connect(provider), secret_key=SECRET)
    behave(tokens="revoke")
    report = sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=FakeImport()
    )
    assert report.error_kind == "permission_withdrawn"
    with use_locale("nl"):
        assert "ingetrokken" in report.message and "verlopen" not in report.message
    with use_locale("en"):
        assert "withdrawn" in report.message and "Connect again" in report.message and "kept" in report.message


def test_a_token_endpoint_that_is_down_loses_nothing(session, patient, provider, connect, behave):
    connection = save_connection(
        session=session, user_id=patient.id, provider=provider, tokens=connect(provider), secret_key=SECRET
    )
    connection.expires_at = utcnow() - timedelta(minutes=1)
    behave(failure="down")
    report = sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=FakeImport()
    )
    assert report.error_kind == "unreachable"
    assert connection.status == CONNECTED and connection.refresh_token_encrypted is not None
    behave(failure="")
    again = sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=FakeImport()
    )
    assert again.ok


def test_two_fetches_after_expiry_refresh_once_and_keep_the_connection(
    engine, session, patient, provider, connect, behave
):
    """Finding 2: the sandbox rotates refresh tokens and revokes the grant when an old one comes back."""
    connection = save_connection(
        session=session, user_id=patient.id, provider=provider, tokens=connect(provider), secret_key=SECRET
    )
    connection.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    behave(token_delay="1")
    reports: list = []
    start = threading.Barrier(2)

    def fetch() -> None:
        with Session(engine, expire_on_commit=False) as own:
            start.wait()
            report = sync_provider(
                session=own, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=FakeImport()
            )
            own.commit()
            reports.append(report)

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert behave(token_delay="0")["refreshes"] == 1
    assert [report.error_kind for report in reports] == [None, None]
    with Session(engine) as fresh:
        stored = fresh.get(ProviderConnection, connection.id)
        assert stored.status == CONNECTED and stored.status != NEEDS_CONSENT
    later = sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=FakeImport()
    )
    assert later.ok, "the grant survived"
