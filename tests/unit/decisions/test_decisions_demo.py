"""The demonstration data: an offered aid, answers to steps 1-5 with decisional conflict, two own questions."""

from __future__ import annotations

from sqlmodel import select

from pgo.decisions.demo import OWN_QUESTIONS
from pgo.decisions.models import DecisionOffer, DecisionResponse
from pgo.decisions.steps import response_sure_score
from pgo.demo import seed_demo


def test_demo_is_seeded_once_with_a_conflicted_patient(session):
    people = seed_demo(session=session)
    seed_demo(session=session)
    offers = session.exec(select(DecisionOffer)).all()
    responses = session.exec(select(DecisionResponse)).all()
    assert [(o.user_id, o.clinician_id, o.aid_id) for o in offers] == [
        (people.patient.id, people.clinician.id, "high-blood-pressure")
    ]
    assert len(responses) == 1
    response = responses[0]
    assert response.answers["steps_done"] == [1, 2, 3, 4, 5]
    score = response_sure_score(response)
    assert (score.total, score.conflict) == (2, True)
    assert response.answers["own_questions"] == OWN_QUESTIONS
    assert response.current_step == 6
