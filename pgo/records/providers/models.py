"""A patient's connection to a care provider: status, scopes and encrypted tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
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
