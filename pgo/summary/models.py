"""Tables of the health summary (issue #21): the patient's own notes for the doctor, and links that share it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow


class SummaryNote(SQLModel, table=True):
    """What the patient wants a doctor to know, written and kept by the patient (one per person)."""

    __tablename__ = "summary_note"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ShareLink(SQLModel, table=True):
    """A link to a copy of the summary (SMART Health Links style). The copy is encrypted (AES-256-GCM) with a key
    that is only in the link: the server keeps the ciphertext, never the key (pgo.summary.sharing)."""

    __tablename__ = "summary_share_link"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, unique=True)  # the link's first part: finds the row, opens nothing
    user_id: int = Field(foreign_key="user_account.id", index=True)
    label: str = Field(default="", max_length=100)  # the patient's own name for it ("for Dr. Smit")
    lang: str = Field(default="nl", max_length=5)
    wording: str = Field(default="patient", max_length=10)
    needs_code: bool = Field(default=False)
    salt: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    nonce: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = Field(default=None)
