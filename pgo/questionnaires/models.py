"""Tables of questionnaires (#20, 2026-12-03): what is offered to a patient, the answers saved as they go.

``QuestionnaireOffer`` is one questionnaire for one patient: offered by a provider (a Task pointing to a
Questionnaire; ``task_id``) or shipped with pgo (``shipped_key``). Its answers are saved per page and its status
moves open -> in-progress -> completed (kept in pgo) or ready-to-send -> sent (back to the provider).
``QuestionnaireSubmission`` remembers each form token once, so a double submit is saved once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlalchemy.types import JSON
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow


class OfferStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"  # finished; nobody to send it to (a questionnaire shipped with pgo)
    READY_TO_SEND = "ready-to-send"  # finished; the provider that asked waits for it
    SENT = "sent"


OPEN_STATUSES = (OfferStatus.OPEN, OfferStatus.IN_PROGRESS)
FINISHED_STATUSES = (OfferStatus.COMPLETED, OfferStatus.READY_TO_SEND, OfferStatus.SENT)


class QuestionnaireOffer(SQLModel, table=True):
    __tablename__ = "questionnaire_offer"
    __table_args__ = (UniqueConstraint("user_id", "source", "task_id", name="uq_questionnaire_offer_task"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    # Who asked: a provider id (e.g. "sandbox") or "pgo" for a questionnaire shipped with pgo.
    source: str = Field(max_length=100)
    source_name: str = Field(default="", max_length=200)
    task_id: str = Field(max_length=200)  # the provider's Task id; for pgo's own: the shipped key
    shipped_key: str | None = Field(default=None, max_length=100)
    # The patient as the provider knows them (the Task's ``for``), the subject of the response sent back.
    subject_reference: str | None = Field(default=None, max_length=200)
    fhir_version: str = Field(max_length=5)
    questionnaire: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    title: str = Field(default="", max_length=300)
    status: str = Field(default=OfferStatus.OPEN, max_length=20, index=True)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    current_link_id: str | None = Field(default=None, max_length=200)
    language: str = Field(default="nl", max_length=5)
    response: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    offered_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    sent_at: datetime | None = None


class QuestionnaireSubmission(SQLModel, table=True):
    __tablename__ = "questionnaire_submission"
    __table_args__ = (UniqueConstraint("offer_id", "token", name="uq_questionnaire_submission_token"),)

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="questionnaire_offer.id", index=True)
    token: str = Field(max_length=64)
    # Where the first submit led, so the second one goes there too.
    outcome: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
