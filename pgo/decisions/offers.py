"""Around the consultation: a clinician offers an aid, and afterwards records the decision made together.

Whether the clinician may see this patient (consent, care team) is checked by the caller (pgo.clinic, later).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from pgo.accounts.models import Role, User
from pgo.decisions.aid import load_aid
from pgo.decisions.models import NOT_DECIDED, DecisionMade, DecisionOffer, DecisionResponse
from pgo.i18n import _

MAX_NOTE = 2000


class DecisionError(ValueError):
    """A request that cannot be done; ``field`` names the form field, the message says what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_people(session: Session, clinician_id: int, patient_id: int) -> None:
    clinician, patient = session.get(User, clinician_id), session.get(User, patient_id)
    if clinician is None or clinician.role != Role.CLINICIAN:
        raise DecisionError("clinician", _("Only a clinician can do this."))
    if patient is None or patient.role != Role.PATIENT:
        raise DecisionError("patient", _("Choose a patient."))


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise DecisionError("note", _("Keep the note under %(n)s characters.", n=MAX_NOTE))
    return note


def offer_aid(
    *, session: Session, clinician_id: int, patient_id: int, aid_id: str, consultation_date: date, note: str = ""
) -> DecisionOffer:
    """Offer a decision aid to a patient ahead of the consultation on ``consultation_date``."""
    _check_people(session, clinician_id, patient_id)
    aid = load_aid(aid_id)
    offer = DecisionOffer(
        user_id=patient_id,
        clinician_id=clinician_id,
        aid_id=aid.id,
        consultation_date=consultation_date,
        note=_check_note(note),
    )
    session.add(offer)
    session.flush()
    return offer


def offers_for_patient(*, session: Session, patient_id: int) -> list[DecisionOffer]:
    query = select(DecisionOffer).where(DecisionOffer.user_id == patient_id).order_by(DecisionOffer.consultation_date)
    return list(session.exec(query))


def record_decision(
    *,
    session: Session,
    clinician_id: int,
    patient_id: int,
    aid_id: str,
    chosen_option: str,
    decided_on: date,
    note: str = "",
    response_id: int | None = None,
) -> DecisionMade:
    """Record the decision made together: an option of the aid or ``not-decided``. The patient sees it."""
    _check_people(session, clinician_id, patient_id)
    aid = load_aid(aid_id)
    if chosen_option not in (*aid.option_codes, NOT_DECIDED):
        raise DecisionError("chosen_option", _("Choose one of the options, or 'not decided'."))
    if response_id is not None:
        response = session.get(DecisionResponse, response_id)
        if response is None or response.user_id != patient_id or response.aid_id != aid.id:
            raise DecisionError("response_id", _("This response does not belong to this patient and aid."))
    made = DecisionMade(
        user_id=patient_id,
        clinician_id=clinician_id,
        aid_id=aid.id,
        response_id=response_id,
        chosen_option=chosen_option,
        note=_check_note(note),
        decided_on=decided_on,
    )
    session.add(made)
    session.flush()
    return made


def decisions_for_patient(*, session: Session, patient_id: int) -> list[DecisionMade]:
    """The decisions made together, newest first, for the patient's record."""
    query = (
        select(DecisionMade)
        .where(DecisionMade.user_id == patient_id)
        .order_by(DecisionMade.decided_on.desc(), DecisionMade.id.desc())  # type: ignore[attr-defined]
    )
    return list(session.exec(query))
