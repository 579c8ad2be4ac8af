"""Tables of decision aids: a patient's work on an aid, an aid offered by a clinician, the decision made."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, text
from sqlalchemy.types import JSON
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow

NOT_DECIDED = "not-decided"


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


class DecisionResponse(SQLModel, table=True):
    """A patient's answers to one decision aid, saved step by step (a FHIR QuestionnaireResponse)."""

    __tablename__ = "decision_response"
    # One unfinished response per patient and aid: parallel starts cannot both insert (#17, 2026-12-03).
    __table_args__ = (
        Index(
            "uq_decision_response_unfinished",
            "user_id",
            "aid_id",
            unique=True,
            sqlite_where=text("status = 'in-progress'"),
            postgresql_where=text("status = 'in-progress'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    aid_id: str = Field(max_length=100, index=True)
    aid_version: str = Field(max_length=40)
    status: str = Field(default=ResponseStatus.IN_PROGRESS, max_length=20)
    current_step: int = Field(default=1)
    # {"steps_done": [1, 2], "considerations": {"values.x": 4}, "sure": {...}, ...}; see pgo.decisions.steps
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="nl", max_length=5)
    level: str = Field(default="standard", max_length=10)
    offer_id: int | None = Field(default=None, foreign_key="decision_offer.id")
    started_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None


class DecisionOffer(SQLModel, table=True):
    """A clinician offers an aid to a patient ahead of a consultation."""

    __tablename__ = "decision_offer"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    clinician_id: int = Field(foreign_key="user_account.id", index=True)
    aid_id: str = Field(max_length=100)
    consultation_date: date
    note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class DecisionMade(SQLModel, table=True):
    """The decision the patient and clinician made together, recorded by the clinician; the patient sees it."""

    __tablename__ = "decision_made"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    clinician_id: int = Field(foreign_key="user_account.id")
    aid_id: str = Field(max_length=100)
    response_id: int | None = Field(default=None, foreign_key="decision_response.id")
    # An option code of the aid, or NOT_DECIDED.
    chosen_option: str = Field(max_length=100)
    note: str = Field(default="", max_length=2000)
    decided_on: date
    created_at: datetime = Field(default_factory=utcnow)
