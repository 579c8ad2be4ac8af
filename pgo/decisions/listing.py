"""The patient's list of decision aids: aids offered by the care team first, then every other aid.

Each entry says where the patient is (not started, at step n, finished) and any decision made together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from pgo.accounts.models import User
from pgo.decisions.aid import NOT_SURE, AidNotFound, DecisionAid, available_aids, load_aid
from pgo.decisions.models import NOT_DECIDED, DecisionMade, DecisionOffer, DecisionResponse, ResponseStatus
from pgo.decisions.offers import decisions_for_patient, offers_for_patient
from pgo.i18n import _, use_locale


@dataclass(frozen=True)
class OfferView:
    clinician: str
    consultation_date: date
    note: str


@dataclass(frozen=True)
class DecisionMadeView:
    option: str
    decided_on: date
    note: str
    clinician: str


@dataclass(frozen=True)
class AidEntry:
    aid_id: str
    title: str
    decision: str
    example_content: bool
    offer: OfferView | None
    response_id: int | None
    status: str  # "new", "in-progress" or "completed"
    current_step: int | None
    decision_made: DecisionMadeView | None


def option_name(aid: DecisionAid, code: str | None, lang: str, level: str = "standard") -> str | None:
    """An option's name; 'Not sure yet' / 'Not decided yet' for the special codes; None when not answered."""
    if code in aid.option_codes:
        return aid.option(code).name.get(lang, level)
    with use_locale(lang):
        if code == NOT_SURE:
            return _("Not sure yet")
        if code == NOT_DECIDED:
            return _("Not decided yet")
    return None


def latest_response(*, session: Session, user_id: int, aid_id: str) -> DecisionResponse | None:
    query = (
        select(DecisionResponse)
        .where(DecisionResponse.user_id == user_id, DecisionResponse.aid_id == aid_id)
        .order_by(DecisionResponse.updated_at.desc(), DecisionResponse.id.desc())  # type: ignore[attr-defined]
    )
    return session.exec(query).first()


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    return {i: (u.name or u.email) for i in ids if (u := session.get(User, i)) is not None}


def _offer_view(offer: DecisionOffer | None, names: dict[int, str]) -> OfferView | None:
    if offer is None:
        return None
    return OfferView(names.get(offer.clinician_id, ""), offer.consultation_date, offer.note)


def _made_view(aid: DecisionAid, made: DecisionMade | None, names: dict[int, str], lang: str, level: str):
    if made is None:
        return None
    return DecisionMadeView(
        option_name(aid, made.chosen_option, lang, level) or "",
        made.decided_on,
        made.note,
        names.get(made.clinician_id, ""),
    )


def aid_list(*, session: Session, user_id: int, lang: str, level: str) -> list[AidEntry]:
    """Offered aids first (soonest consultation first), then the other available aids by title."""
    offers: dict[str, DecisionOffer] = {}
    for offer in offers_for_patient(session=session, patient_id=user_id):
        offers.setdefault(offer.aid_id, offer)  # the soonest consultation per aid
    made: dict[str, DecisionMade] = {}
    for decision in decisions_for_patient(session=session, patient_id=user_id):
        made.setdefault(decision.aid_id, decision)  # the newest per aid
    names = _names(session, {o.clinician_id for o in offers.values()} | {m.clinician_id for m in made.values()})
    aids = {aid.id: aid for aid in available_aids()}
    for aid_id in offers:
        if aid_id not in aids:
            try:
                aids[aid_id] = load_aid(aid_id)
            except AidNotFound:
                continue
    entries = []
    for aid in aids.values():
        response = latest_response(session=session, user_id=user_id, aid_id=aid.id)
        entries.append(
            AidEntry(
                aid_id=aid.id,
                title=aid.title.get(lang, level),
                decision=aid.decision.get(lang, level),
                example_content=aid.example_content,
                offer=_offer_view(offers.get(aid.id), names),
                response_id=response.id if response else None,
                status=str(response.status) if response else "new",
                current_step=response.current_step if response else None,
                decision_made=_made_view(aid, made.get(aid.id), names, lang, level),
            )
        )
    return sorted(entries, key=lambda e: (e.offer is None, e.offer.consultation_date if e.offer else date.max, e.title))


def offer_for(*, session: Session, user_id: int, aid_id: str) -> DecisionOffer | None:
    """The soonest offer of this aid to this patient, if any."""
    return next((o for o in offers_for_patient(session=session, patient_id=user_id) if o.aid_id == aid_id), None)


def is_completed(response: DecisionResponse) -> bool:
    return response.status == ResponseStatus.COMPLETED
