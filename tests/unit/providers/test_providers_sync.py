"""Keeping a connection and importing from it, also when the provider misbehaves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pgo.clock import utcnow
from pgo.i18n import use_locale
from pgo.providers import save_connection, sync_provider
from pgo.providers.config import sandbox_provider
from pgo.providers.models import CONNECTED, NEEDS_CONSENT, ProviderConnection

SECRET = "test secret key for provider tokens"


class FakeImport:
    """Stands in for pgo.records.import_resources: remembers what it was given."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[dict] = []
        self.fail = fail

    def __call__(self, *, session, user_id, resources, source):
        self.calls.append({"user_id": user_id, "resources": resources, "source": source})
        if self.fail:
            raise RuntimeError("importer broke")
        return len(resources)


@pytest.fixture
def connected(session, patient, provider, connect):
    tokens = connect(provider)
    connection = save_connection(
        session=session, user_id=patient.id, provider=provider, tokens=tokens, secret_key=SECRET
    )
    return connection, tokens


def sync(session, patient, provider, importer):
    return sync_provider(
        session=session, user_id=patient.id, provider=provider, secret_key=SECRET, import_resources=importer
    )


def test_sync_imports_everything_with_the_provider_as_source(session, patient, provider, connected):
    importer = FakeImport()
    report = sync(session, patient, provider, importer)
    assert report.ok and report.message is None
    assert importer.calls[0]["source"] == provider.name and importer.calls[0]["user_id"] == patient.id
    assert report.total == len(importer.calls[0]["resources"]) == report.imported > 0
    assert connected[0].last_import_at is not None and connected[0].status == CONNECTED


def test_tokens_are_not_stored_in_plain_text(session, connected):
    connection, tokens = connected
    stored = session.get(ProviderConnection, connection.id)
    assert tokens.access_token not in stored.access_token_encrypted
    assert tokens.refresh_token not in stored.refresh_token_encrypted
    assert stored.access_token_encrypted.startswith("gAAAA")  # a Fernet token


def test_an_expired_token_is_refreshed_before_reading(session, patient, provider, connected):
    connection, tokens = connected
    connection.expires_at = utcnow() - timedelta(minutes=1)
    old_cipher = connection.access_token_encrypted
    report = sync(session, patient, provider, FakeImport())
    assert report.ok and connection.access_token_encrypted != old_cipher
    assert connection.expires_at > utcnow()


def test_a_token_the_provider_expired_is_refreshed_after_401(session, patient, provider, connected, behave):
    behave(tokens="expire")
    report = sync(session, patient, provider, FakeImport())
    assert report.ok and report.total > 0


def test_a_failed_refresh_asks_for_consent_again(session, patient, provider, connected, behave):
    behave(tokens="revoke")
    importer = FakeImport()
    report = sync(session, patient, provider, importer)
    assert not report.ok and report.error_kind == "permission_withdrawn" and importer.calls == []
    assert connected[0].status == NEEDS_CONSENT and connected[0].access_token_encrypted is None
    with use_locale("nl"):
        assert "Koppel opnieuw" in report.message


def test_tokens_that_expire_on_arrival_end_in_re_consent(session, patient, provider, connected, behave):
    behave(failure="expired-tokens", tokens="expire")
    report = sync(session, patient, provider, FakeImport())
    assert report.error_kind == "needs_consent"


@pytest.mark.parametrize("failure", ["down"])
def test_provider_down_imports_nothing(session, patient, provider, connected, behave, failure):
    behave(failure=failure)
    importer = FakeImport()
    report = sync(session, patient, provider, importer)
    assert report.error_kind == "unreachable" and importer.calls == []
    with use_locale("nl"):
        assert "niet bereiken" in report.message


def test_provider_unreachable_imports_nothing(session, patient, connected):
    closed = sandbox_provider("http://127.0.0.1:9")  # discard port: nothing listens
    save_connection(session=session, user_id=patient.id, provider=closed, tokens=connected[1], secret_key=SECRET)
    importer = FakeImport()
    report = sync(session, patient, closed, importer)
    assert report.error_kind == "unreachable" and importer.calls == []


@pytest.mark.parametrize("failure", ["garbage", "html"])
def test_garbage_imports_nothing(session, patient, provider, connected, behave, failure):
    behave(failure=failure)
    importer = FakeImport()
    report = sync(session, patient, provider, importer)
    assert report.error_kind == "unreadable" and importer.calls == []
    with use_locale("en"):
        assert report.message.endswith("Nothing was changed.")


def test_a_failing_import_is_reported_and_keeps_the_connection(session, patient, provider, connected):
    report = sync(session, patient, provider, FakeImport(fail=True))
    assert report.error_kind == "import_failed" and connected[0].status == CONNECTED


def test_no_connection_means_consent_first(session, patient, provider):
    report = sync(session, patient, provider, FakeImport())
    assert report.error_kind == "needs_consent"


def test_sync_with_the_real_importer_stores_the_records_under_the_provider_name(session, patient, provider, connected):
    from sqlmodel import select

    from pgo.records.models import RecordProvenance

    report = sync_provider(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    assert report.ok and report.imported.imported == report.total > 0 and not report.imported.refused
    assert set(session.exec(select(RecordProvenance.source_name)).all()) == {provider.name}
    again = sync_provider(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    assert again.ok and again.imported.imported == 0 and again.imported.duplicates == report.total
