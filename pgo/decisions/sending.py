"""A finished decision aid's answers to a connected provider (#20, 2026-12-03), as a QuestionnaireResponse."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from pgo.decisions.aid import AidNotFound, load_aid
from pgo.decisions.fhir import questionnaire_response
from pgo.decisions.models import DecisionResponse, ResponseStatus
from pgo.providers.sendables import DECISIONS, Sendable
from pgo.providers.sending import Outgoing, items_by_key

KIND = "decision"


def finished_responses(*, session: Session, user_id: int) -> list[tuple[DecisionResponse, str]]:
    """The patient's finished decision aids with their titles (in the language they were answered in)."""
    query = select(DecisionResponse).where(
        DecisionResponse.user_id == user_id, DecisionResponse.status == ResponseStatus.COMPLETED
    )
    found = []
    for response in session.exec(query.order_by(col(DecisionResponse.id))):
        try:
            aid = load_aid(response.aid_id)
        except AidNotFound:
            continue
        found.append((response, aid.title.get(response.language)))
    return found


def outgoing(response: DecisionResponse) -> Outgoing:
    """The answers as they are now (a finished aid does not change), about the patient (the provider fills in
    how it knows them)."""
    if response.status != ResponseStatus.COMPLETED:
        raise ValueError("only a finished decision aid can be sent")
    aid = load_aid(response.aid_id)
    resource = questionnaire_response(response, aid)
    resource["subject"] = {"reference": f"Patient/{response.user_id}"}
    return Outgoing(kind=KIND, item_key=str(response.id), title=aid.title.get(response.language), resource=resource)


# What this feature has to send, as the outbox asks for it (#19, 2026-12-03: named in pgo.features) --------------


def choose(*, session: Session, user_id: int, provider_id: str, item_id: int) -> list[Outgoing]:
    """The answers of one of the patient's decision aids (LookupError when not theirs)."""
    response = session.get(DecisionResponse, item_id)
    if response is None or response.user_id != user_id:
        raise LookupError(item_id)
    return [outgoing(response)]


def page(*, session: Session, user_id: int, provider_id: str) -> dict[str, Any]:
    """The sending page's finished decision aids that did not go to this provider yet."""
    decisions = finished_responses(session=session, user_id=user_id)
    sent = items_by_key(session=session, user_id=user_id, kind=KIND, keys=[str(r.id) for r, _t in decisions])
    return {
        "decisions": [
            (r, t) for r, t in decisions if not any(i.provider_id == provider_id for i in sent.get(str(r.id), []))
        ]
    }


SENDABLE = Sendable(kind=KIND, category=DECISIONS, choose=choose, page=page)
