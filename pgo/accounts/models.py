"""People who use pgo: patients and clinicians, with the display preferences that stay with them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from pgo.clock import utcnow


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


class TextSize(StrEnum):
    NORMAL = "normal"
    LARGE = "large"
    XLARGE = "xlarge"


class ReadingLevel(StrEnum):
    SIMPLE = "simple"
    STANDARD = "standard"
    DETAILED = "detailed"


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Field(default=Role.PATIENT, max_length=20)
    password_hash: str = Field(default="", max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)
    # Display preferences (see pgo.web.preferences): kept with the person, not the device.
    locale: str | None = Field(default=None, max_length=5)
    text_size: str = Field(default=TextSize.NORMAL, max_length=10)
    high_contrast: bool = Field(default=False)
    simplified: bool = Field(default=False)
    reading_level: str = Field(default=ReadingLevel.STANDARD, max_length=10)
    oidc_subject: str | None = Field(default=None, index=True, max_length=255)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN


class SignInSession(SQLModel, table=True):
    """A signed-in browser. The cookie carries only ``token``; the server decides whether it is still valid."""

    __tablename__ = "sign_in_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
