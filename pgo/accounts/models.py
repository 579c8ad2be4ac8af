"""People who use pgo: patients and clinicians, with the display preferences that stay with them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow
from pgo.levels import ReadingLevel, TextSize


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


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


# --- Care teams, consent and team notes (pgo.accounts.teams, .consent, .notes) ---------------------------


class TeamKind(StrEnum):
    PRACTICE = "practice"
    DEPARTMENT = "department"
    OTHER = "other"


class CareTeam(SQLModel, table=True):
    """A group of clinicians a patient can give access to: a general practice, a hospital department."""

    __tablename__ = "care_team"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=TeamKind.PRACTICE, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class TeamMembership(SQLModel, table=True):
    """A clinician in a care team; a clinician may belong to several teams."""

    __tablename__ = "care_team_member"
    __table_args__ = (UniqueConstraint("team_id", "clinician_id", name="uq_care_team_member"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="care_team.id", index=True)
    clinician_id: int = Field(foreign_key="user_account.id", index=True)
    joined_at: datetime = Field(default_factory=utcnow)


class ConsentGrant(SQLModel, table=True):
    """A patient's permission for one team to see one category of their data; current while not revoked."""

    __tablename__ = "consent_grant"
    # One current grant per patient, team and category: parallel grants cannot both insert (#17, 2026-12-03).
    __table_args__ = (
        Index(
            "uq_consent_grant_current",
            "user_id",
            "team_id",
            "category",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
        # A clinician's patients are found from their teams' current grants, not from every current grant on the
        # server (#22, 2026-12-03).
        Index(
            "ix_consent_grant_current_team",
            "team_id",
            "user_id",
            "category",
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)  # the patient
    team_id: int = Field(foreign_key="care_team.id", index=True)
    category: str = Field(max_length=20)
    granted_at: datetime = Field(default_factory=utcnow)
    granted_by: int = Field(foreign_key="user_account.id")
    revoked_at: datetime | None = None  # no index of its own: mostly empty, it misled the planner (#22)
    revoked_by: int | None = Field(default=None, foreign_key="user_account.id")


class ConsentEvent(SQLModel, table=True):
    """One consent change as the person made it: who granted or revoked what for which team, and when."""

    __tablename__ = "consent_event"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)  # the patient
    team_id: int = Field(foreign_key="care_team.id")
    category: str = Field(max_length=20)
    action: str = Field(max_length=10)  # grant | revoke
    actor_id: int = Field(foreign_key="user_account.id")
    at: datetime = Field(default_factory=utcnow)


class TeamNote(SQLModel, table=True):
    """A note a team keeps about a patient; only members of that team ever read it."""

    __tablename__ = "care_team_note"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="care_team.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)  # the patient
    author_id: int = Field(foreign_key="user_account.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


# --- Access log (pgo.accounts.audit): append-only, hash-chained -----------------------------------------


class AccessLogEntry(SQLModel, table=True):
    """Someone other than the patient viewed or exported the patient's data (NEN 7513 in spirit).

    ``entry_hash`` is SHA-256 over the entry's fields and ``prev_hash``; ids are consecutive from 1.
    """

    __tablename__ = "access_log_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    actor_role: str = Field(max_length=20)
    team_id: int | None = Field(default=None, foreign_key="care_team.id")
    user_id: int = Field(foreign_key="user_account.id", index=True)  # the patient whose data was used
    what: str = Field(max_length=60)
    purpose: str = Field(max_length=30)
    detail: str = Field(default="", max_length=200)
    prev_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64)


class AccessLogHead(SQLModel, table=True):
    """The chain's newest entry (one row, id 1): writers lock it; verify compares it with the last entry."""

    __tablename__ = "access_log_head"

    id: int | None = Field(default=None, primary_key=True)
    last_id: int = Field(default=0)
    last_hash: str = Field(default="", max_length=64)


class AccessLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an access log entry."""


def _refuse_change(_mapper, _connection, target) -> None:
    raise AccessLogIsAppendOnly(f"access log entry {target.id} cannot be changed or deleted")


event.listen(AccessLogEntry, "before_update", _refuse_change)
event.listen(AccessLogEntry, "before_delete", _refuse_change)


@event.listens_for(OrmSession, "do_orm_execute")
def _refuse_bulk_change(state) -> None:
    """ORM bulk update()/delete() statements bypass the mapper events: refuse them too."""
    if (state.is_update or state.is_delete) and any(m.class_ is AccessLogEntry for m in state.all_mappers):
        raise AccessLogIsAppendOnly("the access log cannot be changed or deleted")


# --- Sign-in throttling (pgo.accounts.throttle) ---------------------------------------------------------


class SignInAttempt(SQLModel, table=True):
    """One sign-in attempt, kept for the throttling window so that every app process sees it."""

    __tablename__ = "sign_in_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    succeeded: bool = Field(default=False)


# --- TOTP second factor (pgo.accounts.totp) -------------------------------------------------------------


class TotpCredential(SQLModel, table=True):
    """A user's authenticator app: the shared secret (Fernet-encrypted) and the last time step used."""

    __tablename__ = "totp_credential"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True)
    secret_encrypted: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)
    confirmed_at: datetime | None = Field(default=None)
    last_used_step: int | None = Field(default=None, sa_type=BigInteger)


# --- Helpers: people who may act for a patient (pgo.accounts.helpers, #21) ------------------------------


class HelperGrant(SQLModel, table=True):
    """A patient lets one helper see (and perhaps enter) some categories of their data, until revoked or ended.

    Made as an invitation (only the hash of its code is kept); current once the invited person accepted it.
    """

    __tablename__ = "helper_grant"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="user_account.id", index=True)
    helper_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    invited_email: str = Field(max_length=320)
    code_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(default="read", max_length=10)  # read | act
    categories: str = Field(default="", max_length=200)  # comma-separated helper categories
    relation: str = Field(default="helper", max_length=10)  # helper | parent
    ends_on: date | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)
    accepted_at: datetime | None = Field(default=None)
    child_agreed_at: datetime | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)
    revoked_by: int | None = Field(default=None, foreign_key="user_account.id")


class AccountBirthDate(SQLModel, table=True):
    """A person's date of birth as they gave it: the rules for a child's parents as helpers depend on it (#21).
    Its own table, so that the account table (and tests that write it at older revisions) stay as they were."""

    __tablename__ = "account_birth_date"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    birth_date: date
