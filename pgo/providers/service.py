"""Keeping a connection and importing from it: the two functions a view calls after the provider's callback."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import update
from sqlmodel import Session, select

from pgo.clock import as_utc, utcnow
from pgo.providers import crypto
from pgo.providers.client import TokenSet, fetch_patient_resources, refresh
from pgo.providers.config import Provider
from pgo.providers.errors import (
    IMPORT_FAILED,
    NEEDS_CONSENT,
    PERMISSION_WITHDRAWN,
    TOKEN_EXPIRED,
    UNREADABLE,
    ProviderError,
    error_message,
)
from pgo.providers.models import CONNECTED, FAILED, ProviderConnection
from pgo.providers.models import NEEDS_CONSENT as STATUS_NEEDS_CONSENT

ImportFunction = Callable[..., Any]


@dataclass
class SyncReport:
    """What a sync did, for the report page: counts per type, the importer's own report, or what went wrong."""

    provider_id: str
    provider_name: str
    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    imported: Any = None
    error_kind: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def message(self) -> str | None:
        return error_message(self.error_kind, self.provider_name) if self.error_kind else None


def get_connection(*, session: Session, user_id: int, provider_id: str) -> ProviderConnection | None:
    query = select(ProviderConnection).where(
        ProviderConnection.user_id == user_id, ProviderConnection.provider_id == provider_id
    )
    return session.exec(query).first()


def save_connection(
    *, session: Session, user_id: int, provider: Provider, tokens: TokenSet, secret_key: str
) -> ProviderConnection:
    """Store (or renew) the patient's connection with the tokens encrypted."""
    connection = get_connection(session=session, user_id=user_id, provider_id=provider.id) or ProviderConnection(
        user_id=user_id, provider_id=provider.id
    )
    _store_tokens(connection, tokens, secret_key)
    connection.status = CONNECTED
    connection.connected_at = utcnow()
    connection.last_error = None
    session.add(connection)
    session.flush()
    return connection


def _store_tokens(connection: ProviderConnection, tokens: TokenSet, secret_key: str) -> None:
    connection.access_token_encrypted = crypto.encrypt(secret_key, tokens.access_token)
    if tokens.refresh_token:  # a refresh response may leave the old refresh token in force
        connection.refresh_token_encrypted = crypto.encrypt(secret_key, tokens.refresh_token)
    connection.expires_at = tokens.expires_at
    connection.scopes = tokens.scope or connection.scopes
    connection.patient_reference = tokens.patient or connection.patient_reference


def _tokens(connection: ProviderConnection, secret_key: str) -> TokenSet | None:
    access = crypto.decrypt(secret_key, connection.access_token_encrypted)
    if access is None:
        return None
    return TokenSet(
        access_token=access,
        refresh_token=crypto.decrypt(secret_key, connection.refresh_token_encrypted),
        expires_at=as_utc(connection.expires_at) if connection.expires_at else None,
        scope=connection.scopes,
        patient=connection.patient_reference,
    )


def sync_provider(
    *,
    session: Session,
    user_id: int,
    provider: Provider,
    secret_key: str,
    import_resources: ImportFunction | None = None,
    http: requests.Session | None = None,
) -> SyncReport:
    """Read everything from the provider, then import it in one go with the provider as source.

    The resources are read completely before anything is imported: a failure on the way leaves earlier imports
    as they were. An expired access token is refreshed (before reading, or once after a 401), once per connection
    across requests (``_renew``, which commits ``session``); when the server ends the grant the connection needs
    the patient's consent again. ``import_resources`` defaults to the records importer
    (``pgo.records.importing.import_resources``); the provider's name is the source of what it stores.
    """
    if import_resources is None:
        from pgo.records.importing import import_resources
    report = SyncReport(provider.id, provider.name, ok=False)
    connection = get_connection(session=session, user_id=user_id, provider_id=provider.id)
    try:
        if connection is None or connection.status == STATUS_NEEDS_CONSENT:
            raise ProviderError(NEEDS_CONSENT, provider.name, "not connected")
        resources = _read_all(session, connection, provider, secret_key, http)
    except ProviderError as error:
        return _failed(session, connection, report, error.kind)
    report.counts = dict(Counter(resource["resourceType"] for resource in resources))
    try:
        with session.begin_nested():
            report.imported = import_resources(
                session=session, user_id=user_id, resources=resources, source=provider.name
            )
    except Exception:  # the importer's failure must not leave half an import behind
        return _failed(session, connection, report, IMPORT_FAILED)
    if getattr(report.imported, "refused", None):  # the importer refused the whole delivery: nothing was stored
        return _failed(session, connection, report, UNREADABLE)
    _offer_questionnaires(session, user_id, provider, resources)
    connection.last_import_at = utcnow()
    connection.last_error = None
    connection.status = CONNECTED
    session.add(connection)
    session.flush()
    report.ok = True
    return report


def _offer_questionnaires(session: Session, user_id: int, provider: Provider, resources: list[dict]) -> None:
    """What the features take from a provider's delivery besides the records (#19, 2026-12-03: named in the feature
    manifest, ``fetch_listeners``): the provider's open Tasks with their Questionnaires go on the patient's to-do
    list (#20)."""
    from pgo import features

    for listener in features.fetch_listeners():
        listener(session=session, user_id=user_id, resources=resources, source=provider.id, source_name=provider.name)


def usable_tokens(
    *, session: Session, connection: ProviderConnection, provider: Provider, secret_key: str, refused: bool = False
) -> TokenSet:
    """The connection's tokens for a request, refreshed first when expired or when the provider ``refused`` them
    (a 401); see ``_renew`` (which commits ``session``). Raises ProviderError (NEEDS_CONSENT: connect again)."""
    tokens = _tokens(connection, secret_key)
    if tokens is None or connection.status == STATUS_NEEDS_CONSENT:
        raise ProviderError(NEEDS_CONSENT, provider.name, "not connected")
    if refused or tokens.is_expired():
        return _renew(session, connection, provider, tokens, secret_key)
    return tokens


def _read_all(
    session: Session, connection: ProviderConnection, provider: Provider, secret_key: str, http
) -> list[dict]:
    tokens = _tokens(connection, secret_key)
    if tokens is None:
        raise ProviderError(NEEDS_CONSENT, provider.name, "tokens unreadable")
    refreshed = False
    if tokens.is_expired():
        tokens, refreshed = _renew(session, connection, provider, tokens, secret_key), True
    try:
        return list(fetch_patient_resources(provider, tokens, http=http))
    except ProviderError as error:
        if error.kind != TOKEN_EXPIRED or refreshed:
            raise
    tokens = _renew(session, connection, provider, tokens, secret_key)
    try:
        return list(fetch_patient_resources(provider, tokens, http=http))
    except ProviderError as error:
        if error.kind == TOKEN_EXPIRED:
            raise ProviderError(NEEDS_CONSENT, provider.name, "new token refused") from error
        raise


def _renew(session: Session, connection: ProviderConnection, provider: Provider, stale: TokenSet, secret_key: str):
    """Fresh tokens, refreshed at most once per expiry across threads and workers (#24).

    Two fetches that find the same expired token (a double click, two tabs) must not both refresh: a server that
    rotates refresh tokens sees the second use of the old one as theft and revokes the grant. So the connection's
    row is held first (``_hold``), the tokens are read again, and only a token that is still the stale one is
    refreshed; the loser of the race uses the winner's tokens. Every way out commits, which releases the row (so
    the caller's session is committed here too); the new tokens are durable at once: a rotated refresh token must
    outlive a failed import.
    """
    _hold(session, connection)
    current = _tokens(connection, secret_key)
    if current is None:
        session.commit()
        raise ProviderError(NEEDS_CONSENT, provider.name, "tokens gone")
    if current.access_token != stale.access_token and not current.is_expired():
        session.commit()  # another request refreshed meanwhile: release the row
        return current
    try:
        new_tokens = refresh(provider, current.refresh_token)
    except ProviderError:
        session.commit()  # release the row; the caller records the failure
        raise
    _store_tokens(connection, new_tokens, secret_key)
    session.add(connection)
    session.commit()
    return TokenSet(
        access_token=new_tokens.access_token,
        refresh_token=new_tokens.refresh_token or current.refresh_token,
        expires_at=new_tokens.expires_at,
        scope=new_tokens.scope or current.scope,
        patient=new_tokens.patient or current.patient,
    )


def _hold(session: Session, connection: ProviderConnection) -> None:
    """Hold the connection's row until the next commit and read it again: ``SELECT ... FOR UPDATE`` on PostgreSQL;
    on SQLite a write (its first one begins ``BEGIN IMMEDIATE``, pgo.db) takes the database's write lock."""
    table = ProviderConnection.__table__
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(table).where(table.c.id == connection.id).values(id=table.c.id))
    else:
        session.execute(select(table.c.id).where(table.c.id == connection.id).with_for_update())
    session.refresh(connection)


def _failed(session: Session, connection: ProviderConnection | None, report: SyncReport, kind: str) -> SyncReport:
    kind = NEEDS_CONSENT if kind == TOKEN_EXPIRED else kind
    report.error_kind = kind
    if connection is not None:
        grant_gone = kind in (NEEDS_CONSENT, PERMISSION_WITHDRAWN)
        connection.last_error = kind
        connection.status = STATUS_NEEDS_CONSENT if grant_gone else connection.status
        if grant_gone:
            connection.access_token_encrypted = None
            connection.refresh_token_encrypted = None
        connection.status = connection.status if connection.status else FAILED
        session.add(connection)
        session.flush()
    return report
