"""Presenters for each step, the consultation summary, offers and the decision made together."""

from __future__ import annotations

from datetime import date

import pytest
from decisions_helpers import all_forms, make_user

from pgo.accounts.models import Role
from pgo.decisions.aid import load_aid
from pgo.decisions.models import NOT_DECIDED
from pgo.decisions.offers import DecisionError, decisions_for_patient, offer_aid, offers_for_patient, record_decision
from pgo.decisions.presenters import option_card, option_grid, step_page
from pgo.decisions.steps import ResponseNotFound, save_step, start_or_resume
from pgo.decisions.summary import consultation_summary

AID = "knee-osteoarthritis"


def test_option_grid_has_questions_as_rows_and_options_as_columns():
    aid = load_aid(AID)
    grid = option_grid(aid, "nl", "standard")
    assert grid.columns == ("Oefentherapie", "Prik in de knie", "Nieuwe knie (operatie)")
    assert len(grid.rows) == len(aid.grid)
    assert all(len(row.cells) == 3 for row in grid.rows)
    assert grid.rows[0].cells[1] == aid.grid[0].answers["injection"].nl


def test_simplified_view_shows_one_option_at_a_time_in_simple_words():
    aid = load_aid(AID)
    first = option_card(aid, None, "en", "simple")
    assert (first.code, first.position, first.total, first.previous_code, first.next_code) == (
        "exercise",
        1,
        3,
        None,
        "injection",
    )
    assert first.summary == aid.options[0].summary.simple_en
    last = option_card(aid, "surgery", "en", "simple")
    assert (last.position, last.next_code) == (3, None)


def test_chances_share_one_denominator_and_draw_a_hundred_people(session):
    patient = make_user(session)
    aid = load_aid(AID)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    page = step_page(aid=aid, response=response, step=3, lang="nl", level="standard")
    pain = page.content[0]
    assert pain.denominator == 100
    surgery = pain.rows[2]
    assert surgery.sentence == "85 van de 100 mensen hebben na een jaar duidelijk minder pijn"
    assert len(surgery.icons) == 100 and sum(surgery.icons) == 85 and surgery.icons[84] and not surgery.icons[85]


def test_knowledge_check_explains_after_answering(session):
    patient = make_user(session)
    aid = load_aid(AID)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    before = step_page(aid=aid, response=response, step=4, lang="en", level="standard").content
    assert all(q.explanation is None and q.correct is None for q in before)
    form = {f"knowledge-{q.link_id}": q.correct for q in aid.knowledge_check}
    form[f"knowledge-{aid.knowledge_check[0].link_id}"] = "yes"
    save_step(session=session, response_id=response.id, user_id=patient.id, step=4, form_data=form)
    after = step_page(aid=aid, response=response, step=4, lang="en", level="standard").content
    assert [q.correct for q in after] == [False, True, True]
    assert after[0].explanation == aid.knowledge_check[0].explanation.en


@pytest.fixture
def worked_response(session):
    patient = make_user(session)
    aid = load_aid(AID)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID, lang="en")
    forms = all_forms(aid)
    forms[2] = {f"importance-{c.link_id}": str(n) for c, n in zip(aid.considerations, (5, 2, 5, 3, 1), strict=True)}
    for step, form in forms.items():
        assert save_step(session=session, response_id=response.id, user_id=patient.id, step=step, form_data=form).ok
    return patient, aid, response


def test_consultation_summary_holds_exactly_the_patients_answers(session, worked_response):
    patient, aid, response = worked_response
    summary = consultation_summary(session=session, patient_id=patient.id, response_id=response.id, lang="nl")
    assert summary.question == aid.decision.nl
    assert summary.preferred_code == "surgery" and summary.preferred_option == "Nieuwe knie (operatie)"
    assert [r.text for r in summary.most_important] == [aid.considerations[0].text.nl, aid.considerations[2].text.nl]
    assert [r.importance for r in summary.all_ratings] == [5, 5, 3, 2, 1]
    assert (summary.sure.total, summary.decisional_conflict) == (2, True)
    assert summary.good_questions == ("Wat zijn mijn mogelijkheden?", "Wat betekent dat in mijn situatie?")
    assert summary.own_questions == ("Mag ik nog sporten?", "Hoe lang duurt het?")
    assert summary.language_shown == "en"


def test_summary_of_another_patients_response_is_refused(session, worked_response):
    _, _, response = worked_response
    other = make_user(session, email="other@example.nl")
    with pytest.raises(ResponseNotFound, match="^1$"):
        consultation_summary(session=session, patient_id=other.id, response_id=response.id)


def test_summary_before_anything_is_answered(session):
    patient = make_user(session)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    summary = consultation_summary(session=session, patient_id=patient.id, response_id=response.id, lang="en")
    assert (summary.preferred_option, summary.most_important, summary.sure, summary.decisional_conflict) == (
        None,
        (),
        None,
        False,
    )


def test_offer_and_record_the_decision_made_together(session, worked_response):
    patient, aid, response = worked_response
    clinician = make_user(session, email="dokter@example.nl", role=Role.CLINICIAN)
    offer = offer_aid(
        session=session,
        clinician_id=clinician.id,
        patient_id=patient.id,
        aid_id=AID,
        consultation_date=date(2025, 7, 1),
        note="Lees dit rustig door.",
    )
    assert offers_for_patient(session=session, patient_id=patient.id) == [offer]
    made = record_decision(
        session=session,
        clinician_id=clinician.id,
        patient_id=patient.id,
        aid_id=AID,
        chosen_option="exercise",
        decided_on=date(2025, 7, 1),
        response_id=response.id,
    )
    later = record_decision(
        session=session,
        clinician_id=clinician.id,
        patient_id=patient.id,
        aid_id=AID,
        chosen_option=NOT_DECIDED,
        decided_on=date(2025, 8, 1),
    )
    assert decisions_for_patient(session=session, patient_id=patient.id) == [later, made]
    with pytest.raises(DecisionError, match="Kies een van de mogelijkheden") as refused:
        record_decision(
            session=session,
            clinician_id=clinician.id,
            patient_id=patient.id,
            aid_id=AID,
            chosen_option="magic",
            decided_on=date(2025, 7, 1),
        )
    assert refused.value.field == "chosen_option"
    with pytest.raises(DecisionError, match="Alleen een zorgverlener"):
        offer_aid(
            session=session,
            clinician_id=patient.id,
            patient_id=patient.id,
            aid_id=AID,
            consultation_date=date(2025, 7, 1),
        )
