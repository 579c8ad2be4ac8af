"""A provider's questionnaire, answered, back to that provider (#20, 2026-12-03).

Only an offer the provider made (its ``source`` is the provider's id) that is finished and waits to be sent; the
QuestionnaireResponse is the one ``store.finish`` built, in the offer's FHIR version. When the provider has it,
pgo.providers.sending marks the offer sent (``store.mark_sent``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from pgo.providers.sendables import QUESTIONNAIRES, Sendable
from pgo.providers.sending import Outgoing
from pgo.questionnaires.models import OfferStatus, QuestionnaireOffer

KIND = "questionnaire"


def waiting_offers(*, session: Session, user_id: int, provider_id: str) -> list[QuestionnaireOffer]:
    """The patient's finished answers to this provider's questionnaires that still wait to be sent."""
    query = select(QuestionnaireOffer).where(
        QuestionnaireOffer.user_id == user_id,
        QuestionnaireOffer.source == provider_id,
        QuestionnaireOffer.status == OfferStatus.READY_TO_SEND,
    )
    return list(session.exec(query.order_by(col(QuestionnaireOffer.completed_at))))


def outgoing(offer: QuestionnaireOffer) -> Outgoing:
    if offer.response is None or offer.status not in (OfferStatus.READY_TO_SEND, OfferStatus.SENT):
        raise ValueError("only a finished questionnaire can be sent")
    return Outgoing(kind=KIND, item_key=str(offer.id), title=offer.title, resource=offer.response)


# What this feature has to send, as the outbox asks for it (#19, 2026-12-03: named in pgo.features) --------------


def choose(*, session: Session, user_id: int, provider_id: str, item_id: int) -> list[Outgoing]:
    """The patient's finished answers to one of this provider's questionnaires (OfferNotFound otherwise)."""
    from pgo.questionnaires import store

    offer = store.owned_offer(session=session, offer_id=item_id, user_id=user_id)
    if offer.source != provider_id:
        raise store.OfferNotFound(item_id)
    return [outgoing(offer)]


def page(*, session: Session, user_id: int, provider_id: str) -> dict[str, Any]:
    return {"offers": waiting_offers(session=session, user_id=user_id, provider_id=provider_id)}


def task_of(*, session: Session, item_key: str, provider_id: str) -> str:
    """The provider's Task behind the questionnaire an item answers (its id at the provider), or ""."""
    offer = session.get(QuestionnaireOffer, int(item_key))
    return offer.task_id if offer is not None and offer.source == provider_id else ""


def on_sent(*, session: Session, item_key: str, when: datetime | None) -> None:
    from pgo.questionnaires.store import mark_sent

    mark_sent(session=session, offer_id=int(item_key), when=when)


SENDABLE = Sendable(kind=KIND, category=QUESTIONNAIRES, choose=choose, page=page, task_of=task_of, on_sent=on_sent)
