"""What the clinician's pages ask about a patient's decisions (#19): the clinic asks, this feature reads its tables.

Whether the clinician may see the patient (consent, care team) is decided by the caller before it asks.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, func, select

from pgo.clock import as_utc
from pgo.decisions.models import DecisionMade, DecisionOffer, DecisionResponse


def upcoming_offer(*, session: Session, patient_id: int, today: date) -> DecisionOffer | None:
    """The offer the next consultation is about: the soonest from today on, else the most recent before."""
    offers = session.exec(select(DecisionOffer).where(DecisionOffer.user_id == patient_id)).all()
    upcoming = sorted((o for o in offers if o.consultation_date >= today), key=lambda o: o.consultation_date)
    past = sorted((o for o in offers if o.consultation_date < today), key=lambda o: o.consultation_date)
    return upcoming[0] if upcoming else (past[-1] if past else None)


def newest_response_aid(*, session: Session, patient_id: int) -> str | None:
    """The aid the patient last answered, when nothing was offered."""
    newest = session.exec(
        select(DecisionResponse.aid_id)
        .where(DecisionResponse.user_id == patient_id)
        .order_by(col(DecisionResponse.updated_at).desc())
    ).first()
    return newest


def decisions_made(*, session: Session, patient_id: int, aid_id: str) -> list[DecisionMade]:
    """The decisions recorded together for this aid, newest first."""
    return list(
        session.exec(
            select(DecisionMade)
            .where(DecisionMade.user_id == patient_id, DecisionMade.aid_id == aid_id)
            .order_by(col(DecisionMade.decided_on).desc(), col(DecisionMade.id).desc())
        ).all()
    )


def last_contact(*, session: Session, patient_id: int) -> datetime | None:
    """When the care team last did something about a decision: the last decision recorded or aid offered."""
    moments = [
        session.exec(select(func.max(DecisionMade.created_at)).where(DecisionMade.user_id == patient_id)).first(),
        session.exec(select(func.max(DecisionOffer.created_at)).where(DecisionOffer.user_id == patient_id)).first(),
    ]
    found = [as_utc(m) for m in moments if m is not None]
    return max(found) if found else None


def responses_changed_since(*, session: Session, patient_id: int, since: datetime) -> int:
    """How many of the patient's aids have answers changed after ``since``."""
    statement = (
        select(func.count())
        .select_from(DecisionResponse)
        .where(DecisionResponse.user_id == patient_id, DecisionResponse.updated_at > since)
    )
    return int(session.exec(statement).one())


def offered_aids(*, session: Session, patient_ids: list[int]) -> dict[int, list[str]]:
    """The aids offered to each of these patients, in the order they were offered (one query for a page)."""
    if not patient_ids:
        return {}
    rows = session.exec(
        select(DecisionOffer.user_id, DecisionOffer.aid_id)
        .where(col(DecisionOffer.user_id).in_(patient_ids))
        .order_by(col(DecisionOffer.id))
    ).all()
    found: dict[int, list[str]] = {}
    for patient_id, aid_id in rows:
        found.setdefault(patient_id, []).append(aid_id)
    return found
