"""Demonstration data of this feature, seeded by `pgo demo` (idempotent).

Dr. Jansen offered the blood-pressure aid to Anna for a consultation next week. Anna answered steps 1 to 5: she
is not sure yet (SURE score 2: decisional conflict) and wrote down two questions of her own.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from pgo.accounts.demo_people import DemoPeople
from pgo.clock import utcnow
from pgo.decisions import steps
from pgo.decisions.models import DecisionOffer, DecisionResponse
from pgo.decisions.offers import offer_aid

AID = "high-blood-pressure"
OWN_QUESTIONS = [
    "Kan ik eerst drie maanden minder zout eten en meer bewegen?",
    "Moet ik de pillen mijn hele leven slikken?",
]
ANSWERS = {
    steps.Step.OPTIONS: {"viewed": ["medicine", "lifestyle"]},
    steps.Step.VALUES: {
        "importance-values.no-pills": "5",
        "importance-values.lower-risk-now": "3",
        "importance-values.own-effort": "4",
        "importance-values.side-effects": "5",
    },
    steps.Step.CHANCES: {},
    steps.Step.KNOWLEDGE: {
        "knowledge-knowledge.feel": "no",
        "knowledge-knowledge.chance": "1",
        "knowledge-knowledge.switch": "yes",
    },
    steps.Step.SURE: {
        "sure-sure": "no",
        "sure-understand": "yes",
        "sure-risk_benefit": "yes",
        "sure-encouragement": "no",
    },
}


def seed(session: Session, people: DemoPeople) -> None:
    """Add this feature's demonstration data when it is not there yet."""
    patient, clinician = people.patient, people.clinician
    offer = session.exec(
        select(DecisionOffer).where(DecisionOffer.user_id == patient.id, DecisionOffer.aid_id == AID)
    ).first()
    if offer is None:
        offer = offer_aid(
            session=session,
            clinician_id=clinician.id,
            patient_id=patient.id,
            aid_id=AID,
            consultation_date=(utcnow() + timedelta(days=7)).date(),
            note="Kijkt u hier rustig naar voor ons gesprek over uw bloeddruk?",
        )
    exists = session.exec(
        select(DecisionResponse).where(DecisionResponse.user_id == patient.id, DecisionResponse.aid_id == AID)
    ).first()
    if exists is not None:
        return
    response = steps.start_or_resume(
        session=session, user_id=patient.id, aid_id=AID, lang="nl", level="standard", offer_id=offer.id
    )
    for step, form in ANSWERS.items():
        result = steps.save_step(
            session=session, response_id=response.id, user_id=patient.id, step=step, form_data=form
        )
        assert result.ok, result.errors
    # Her own questions are written down already (step 7 is not done yet); she resumes at step 6.
    response.answers = {**response.answers, "own_questions": list(OWN_QUESTIONS)}
    response.current_step = int(steps.Step.PREFERENCE)
    session.add(response)
    session.flush()
