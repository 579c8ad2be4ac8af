"""Working through an aid: each step saved, resumable, refused with clear messages when wrong."""

from __future__ import annotations

import pytest
from decisions_helpers import all_forms, knowledge_form, make_user, sure_form, values_form
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from pgo.decisions.aid import load_aid
from pgo.decisions.models import DecisionResponse, ResponseStatus
from pgo.decisions.steps import (
    ResponseNotFound,
    Step,
    complete,
    save_step,
    start_or_resume,
    sure_score,
)
from pgo.i18n import use_locale

AID = "knee-osteoarthritis"


@pytest.fixture
def patient(session):
    return make_user(session)


def test_stop_halfway_and_resume_at_the_same_step_with_answers_kept(session, engine, patient):
    aid = load_aid(AID)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID, lang="en", level="simple")
    assert (response.current_step, response.status, response.aid_version) == (1, "in-progress", aid.version)
    forms = all_forms(aid)
    for step in (1, 2, 3):
        assert save_step(
            session=session, response_id=response.id, user_id=patient.id, step=step, form_data=forms[step]
        ).ok
    session.commit()

    from sqlmodel import Session

    with Session(engine) as later:
        resumed = start_or_resume(session=later, user_id=patient.id, aid_id=AID, lang="nl")
        assert resumed.id == response.id
        assert resumed.current_step == 4
        assert resumed.answers["steps_done"] == [1, 2, 3]
        assert resumed.answers["considerations"] == {
            c.link_id: int(v) for c, v in zip(aid.considerations, forms[2].values(), strict=True)
        }
        assert resumed.language == "nl"
        assert resumed.level == "simple"


def test_all_steps_then_complete(session, patient):
    aid = load_aid(AID)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    for step, form in all_forms(aid).items():
        result = save_step(session=session, response_id=response.id, user_id=patient.id, step=step, form_data=form)
        assert result.ok, result.errors
        assert result.next_step == (step + 1 if step < 7 else None)
    result = complete(session=session, response_id=response.id, user_id=patient.id)
    assert result.ok
    assert response.status == ResponseStatus.COMPLETED and response.completed_at is not None
    assert response.answers["own_questions"] == ["Mag ik nog sporten?", "Hoe lang duurt het?"]
    # A completed aid is not changed any more; a new start begins a fresh response.
    refused = save_step(
        session=session, response_id=response.id, user_id=patient.id, step=6, form_data={"preference": "not-sure"}
    )
    assert not refused.ok
    fresh = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    assert fresh.id != response.id and fresh.current_step == 1


def test_complete_names_the_steps_still_to_do(session, patient):
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    save_step(session=session, response_id=response.id, user_id=patient.id, step=1, form_data={})
    with use_locale("nl"):
        result = complete(session=session, response_id=response.id, user_id=patient.id)
    assert set(result.errors) == {f"step-{n}" for n in range(2, 8)}
    assert result.errors["step-5"].startswith("Maak eerst stap 5 af")
    assert response.status == ResponseStatus.IN_PROGRESS


INVALID = [
    (Step.VALUES, lambda aid: {**values_form(aid), f"importance-{aid.considerations[0].link_id}": "6"}, "importance-"),
    (Step.VALUES, lambda aid: {}, "importance-"),
    (
        Step.KNOWLEDGE,
        lambda aid: {**knowledge_form(aid), f"knowledge-{aid.knowledge_check[0].link_id}": "maybe"},
        "knowledge-",
    ),
    (Step.SURE, lambda aid: {**sure_form(4), "sure-understand": "perhaps"}, "sure-understand"),
    (Step.PREFERENCE, lambda aid: {"preference": "homeopathy"}, "preference"),
    (Step.PREFERENCE, lambda aid: {}, "preference"),
    (Step.QUESTIONS, lambda aid: {"good-questions": ["why"]}, "good-questions"),
    (Step.QUESTIONS, lambda aid: {"own-questions": "\n".join(f"Vraag {n}?" for n in range(11))}, "own-questions"),
    (Step.QUESTIONS, lambda aid: {"own-questions": "x" * 501}, "own-questions"),
    (Step.OPTIONS, lambda aid: {"viewed": "nothing"}, "viewed"),
]


@pytest.mark.parametrize(("step", "form", "field"), INVALID)
def test_invalid_input_is_refused_and_nothing_is_stored(session, patient, step, form, field):
    aid = load_aid(AID)
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    save_step(session=session, response_id=response.id, user_id=patient.id, step=1, form_data={})
    before = (dict(response.answers), response.current_step, response.updated_at)
    with use_locale("nl"):
        result = save_step(session=session, response_id=response.id, user_id=patient.id, step=step, form_data=form(aid))
    assert not result.ok and result.next_step is None
    assert any(key.startswith(field) for key in result.errors)
    assert all(message and message[0].isupper() for message in result.errors.values())
    session.expire_all()
    stored = session.get(DecisionResponse, response.id)
    assert (stored.answers, stored.current_step, stored.updated_at) == before


def test_messages_are_dutch_or_english():
    from pgo.decisions.steps import _parse_sure

    aid = load_aid(AID)
    with use_locale("nl"):
        assert _parse_sure(aid, {})[1]["sure-sure"] == "Kies ja of nee."
    with use_locale("en"):
        assert _parse_sure(aid, {})[1]["sure-sure"] == "Answer yes or no."


def test_someone_else_cannot_see_or_save_a_response(session, patient):
    other = make_user(session, email="other@example.nl")
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    with pytest.raises(ResponseNotFound, match="^1$"):
        save_step(session=session, response_id=response.id, user_id=other.id, step=1, form_data={})
    with pytest.raises(ResponseNotFound, match="^100$"):
        complete(session=session, response_id=response.id + 99, user_id=patient.id)


def test_a_step_that_does_not_exist_is_an_error(session, patient):
    response = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    with pytest.raises(ValueError, match="8 is not a valid Step"):
        save_step(session=session, response_id=response.id, user_id=patient.id, step=8, form_data={})


@pytest.mark.parametrize(("yes", "conflict"), [(0, True), (3, True), (4, False)])
def test_sure_score_flags_conflict_at_three_or_less(yes, conflict):
    keys = ("sure", "understand", "risk_benefit", "encouragement")
    score = sure_score({key: i < yes for i, key in enumerate(keys)})
    assert score.total == yes
    assert score.conflict is conflict


def test_sure_score_of_an_unfinished_test_flags_nothing():
    score = sure_score({"sure": True, "understand": False})
    assert (score.total, score.complete, score.conflict) == (1, False, False)


@given(
    st.dictionaries(st.text(max_size=30), st.one_of(st.text(max_size=30), st.lists(st.text(max_size=30)), st.none()))
)
def test_wild_form_data_never_crashes_a_step(form):
    from pgo.decisions.steps import PARSERS

    aid = load_aid(AID)
    for parse in PARSERS.values():
        values, errors = parse(aid, form)
        assert isinstance(values, dict) and isinstance(errors, dict)


def test_the_database_holds_one_unfinished_response_per_aid(session, patient):
    """#17: parallel "start aid" requests created two unfinished responses (check-then-insert)."""
    from sqlalchemy.exc import IntegrityError

    first = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    session.commit()
    aid = load_aid(AID)
    session.add(DecisionResponse(user_id=patient.id, aid_id=AID, aid_version=aid.version, answers={"steps_done": []}))
    with pytest.raises(IntegrityError, match="(?i)unique"):  # SQLite and PostgreSQL both name it
        session.commit()
    session.rollback()
    complete_one = session.get(DecisionResponse, first.id)
    complete_one.status = ResponseStatus.COMPLETED
    session.commit()
    again = start_or_resume(session=session, user_id=patient.id, aid_id=AID)  # a finished one does not count
    assert again.id != first.id


def test_a_start_that_loses_the_race_resumes_the_winner(session, patient, monkeypatch):
    from pgo.decisions import steps

    real, calls = steps._unfinished, []

    def raced(*args, **kwargs):  # the first two checks both see nothing: two requests in parallel
        calls.append(1)
        return None if len(calls) <= 2 else real(*args, **kwargs)

    monkeypatch.setattr(steps, "_unfinished", raced)
    first = start_or_resume(session=session, user_id=patient.id, aid_id=AID)
    second = start_or_resume(session=session, user_id=patient.id, aid_id=AID, lang="en")
    session.commit()
    assert first.id == second.id and second.language == "en"
    assert len(session.exec(select(DecisionResponse)).all()) == 1
