"""A provider's questionnaire, answered, back to that provider (#20, 2026-12-03).

Only an offer the provider made (its ``source`` is the provider's id) that is finished and waits to be sent; the
QuestionnaireResponse is the one ``store.finish`` built, in the offer's FHIR version. When the provider has it,
pgo.records.providers.sending marks the offer sent (``store.mark_sent``).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from pgo.questionnaires.models import OfferStatus, QuestionnaireOffer
from pgo.records.providers.sending import Outgoing

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
