"""A patient's connection to a care provider: status, scopes and encrypted tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow

CONNECTED = "connected"
NEEDS_CONSENT = "needs_consent"
FAILED = "failed"


class ProviderConnection(SQLModel, table=True):
    __tablename__ = "provider_connection"
    __table_args__ = (UniqueConstraint("user_id", "provider_id", name="uq_provider_connection_user_provider"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    provider_id: str = Field(max_length=80, index=True)
    status: str = Field(default=CONNECTED, max_length=20)
    scopes: str = Field(default="", max_length=500)
    patient_reference: str | None = Field(default=None, max_length=200)
    access_token_encrypted: str | None = Field(default=None, sa_column=Column(Text))
    refresh_token_encrypted: str | None = Field(default=None, sa_column=Column(Text))
    expires_at: datetime | None = Field(default=None)
    connected_at: datetime = Field(default_factory=utcnow)
    last_import_at: datetime | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=40)


# Sending to a provider (#20, 2026-12-03): what the patient allows, and every item on its way or sent.
MEASUREMENTS = "measurements"
QUESTIONNAIRES = "questionnaires"
DECISIONS = "decisions"
SEND_CATEGORIES = (MEASUREMENTS, QUESTIONNAIRES, DECISIONS)

WAITING = "waiting"  # queued, not yet sent (or sending failed and will be tried again)
SENT = "sent"


class SendConsent(SQLModel, table=True):
    """The patient allows (or no longer allows) pgo to send one category of their data to one provider; with
    ``automatic`` new readings of a measurement plan go without asking each time."""

    __tablename__ = "provider_send_consent"
    __table_args__ = (UniqueConstraint("user_id", "provider_id", "category", name="uq_provider_send_consent"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    provider_id: str = Field(max_length=80)
    category: str = Field(max_length=20)
    allowed: bool = Field(default=False)
    automatic: bool = Field(default=False)
    changed_at: datetime = Field(default_factory=utcnow)


class SentItem(SQLModel, table=True):
    """One thing for one provider: queued once (the unique key), sent until the provider has it, never twice.

    ``identifier`` is stable per item and provider; the provider is asked to create the resource only if none
    with that identifier exists (``If-None-Exist``), so a retry after a lost answer does not make a second one.
    """

    __tablename__ = "provider_sent_item"
    __table_args__ = (UniqueConstraint("user_id", "provider_id", "kind", "item_key", name="uq_provider_sent_item"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    provider_id: str = Field(max_length=80)
    provider_name: str = Field(default="", max_length=200)  # as the patient knew it when sending
    category: str = Field(max_length=20)
    kind: str = Field(max_length=20)  # "measurement", "questionnaire", "decision"
    item_key: str = Field(max_length=100)  # the measurement's or offer's id, the decision aid's key
    title: str = Field(default="", max_length=200)  # what the patient reads: "Bloeddruk 3 december"
    identifier: str = Field(max_length=120)  # urn:uuid:..., stable
    resource_type: str = Field(max_length=40)
    resource: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default=WAITING, max_length=20, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=40)
    queued_at: datetime = Field(default_factory=utcnow)
    last_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    server_id: str | None = Field(default=None, max_length=200)  # the id the provider gave it
