"""The patient's decision-aid pages: list, start or resume, seven steps saved one by one, summary, complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from decisions_web_helpers import practice, signed_in, token_of
from sqlmodel import select

from pgo.decisions.models import DecisionResponse

AID = "high-blood-pressure"
STEP_FORMS = {
    1: {"viewed": ["medicine", "lifestyle"]},
    2: {f"importance-values.{k}": "4" for k in ("no-pills", "lower-risk-now", "own-effort", "side-effects")},
    3: {},
    4: {"knowledge-knowledge.feel": "no", "knowledge-knowledge.chance": "8", "knowledge-knowledge.switch": "yes"},
    5: {"sure-sure": "no", "sure-understand": "yes", "sure-risk_benefit": "no", "sure-encouragement": "no"},
    6: {"preference": "lifestyle"},
    7: {"good-questions": ["options"], "own-questions": "Mag ik <b>sporten</b>?\nWat kost het?"},
}


@pytest.fixture
def people(db_session, make_user):
    return practice(db_session, make_user)


def start(client, aid=AID):
    response = client.post(f"/decisions/start/{aid}", data={"csrf_token": token_of(client, "/decisions/")})
    assert response.status_code == 302
    match = re.search(r"/decisions/responses/(\d+)/steps/(\d+)", response.headers["Location"])
    return int(match.group(1)), int(match.group(2))


def post_step(client, rid, n, data, action="next"):
    token = token_of(client, f"/decisions/responses/{rid}/steps/{n}")
    return client.post(f"/decisions/responses/{rid}/steps/{n}", data={**data, "action": action, "csrf_token": token})


def stored(db_session, rid):
    db_session.expire_all()
    return db_session.get(DecisionResponse, rid)


def test_the_list_shows_every_aid_marked_as_example_content(app, people):
    client = signed_in(app, "anna@example.nl")
    html = client.get("/decisions/").get_data(as_text=True)
    assert html.count('class="card aid-entry"') == 3
    assert html.count("Voorbeeldinhoud") == 3 or html.count("Example content") == 3


def test_only_patients_open_the_decision_pages(app, people):
    assert app.test_client().get("/decisions/").status_code == 302  # to sign in
    doctor = signed_in(app, "doc@example.nl")
    assert doctor.get("/decisions/").status_code == 403
    rid, _ = start(signed_in(app, "anna@example.nl"))
    assert doctor.get(f"/decisions/responses/{rid}/steps/1").status_code == 403
    assert doctor.get(f"/decisions/responses/{rid}/summary").status_code == 403


def test_another_patients_response_is_not_found(app, people, db_session):
    rid, _ = start(signed_in(app, "anna@example.nl"))
    bert = signed_in(app, "bert@example.nl")
    assert bert.get(f"/decisions/responses/{rid}/steps/1").status_code == 404
    assert bert.get(f"/decisions/responses/{rid}/summary").status_code == 404
    token = token_of(bert, "/decisions/")
    answer = bert.post(f"/decisions/responses/{rid}/steps/6", data={"preference": "medicine", "csrf_token": token})
    assert answer.status_code == 404
    assert bert.post(f"/decisions/responses/{rid}/complete", data={"csrf_token": token}).status_code == 404
    assert "preference" not in stored(db_session, rid).answers
    assert bert.get("/decisions/responses/999999/steps/1").status_code == 404
    assert signed_in(app, "anna@example.nl").get(f"/decisions/responses/{rid}/steps/8").status_code == 404


@pytest.mark.parametrize("aid", ["no-such-aid", "README.md", "pyproject.toml", "high-blood-pressure.yaml"])
def test_unknown_aid_is_not_found(app, people, aid, monkeypatch):
    """#17: an id with a dot was read as a file in the working directory (README.md: a 500)."""
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the project, where README.md and pyproject.toml are
    client = signed_in(app, "anna@example.nl")
    assert (
        client.post(f"/decisions/start/{aid}", data={"csrf_token": token_of(client, "/decisions/")}).status_code == 404
    )


def test_a_patient_goes_through_all_seven_steps_and_completes(app, people, db_session):
    client = signed_in(app, "anna@example.nl")
    rid, step = start(client)
    assert step == 1
    for n, data in STEP_FORMS.items():
        page = client.get(f"/decisions/responses/{rid}/steps/{n}").get_data(as_text=True)
        assert f"Stap {n} van 7" in page
        answer = post_step(client, rid, n, data)
        assert answer.status_code == 302, (n, answer.get_data(as_text=True)[:500])
    assert answer.headers["Location"].endswith(f"/decisions/responses/{rid}/summary")
    summary = client.get(f"/decisions/responses/{rid}/summary").get_data(as_text=True)
    assert "Mag ik &lt;b&gt;sporten&lt;/b&gt;?" in summary and "<b>sporten</b>" not in summary
    assert (
        client.post(
            f"/decisions/responses/{rid}/complete", data={"csrf_token": token_of(client, "/decisions/")}
        ).status_code
        == 302
    )
    response = stored(db_session, rid)
    assert response.status == "completed"
    assert response.answers["own_questions"] == ["Mag ik <b>sporten</b>?", "Wat kost het?"]
    assert response.answers["preference"] == "lifestyle"
    assert "Afgerond" in client.get("/decisions/").get_data(as_text=True)


def test_knowledge_answers_show_explanations_and_sure_conflict_a_kind_message(app, people):
    client = signed_in(app, "anna@example.nl")
    rid, _ = start(client)
    answer = post_step(client, rid, 4, STEP_FORMS[4])
    assert "/steps/4" in answer.headers["Location"]  # stays to read the explanations
    page = client.get(f"/decisions/responses/{rid}/steps/4?answered=1").get_data(as_text=True)
    assert "Dat klopt." in page and "Volgende stap" in page
    answer = post_step(client, rid, 5, STEP_FORMS[5])
    assert "/steps/6" in answer.headers["Location"]
    assert "Bespreek het met uw zorgverlener" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_stop_and_resume_at_the_same_step(app, people, db_session):
    client = signed_in(app, "anna@example.nl")
    rid, _ = start(client)
    for n in (1, 2):
        post_step(client, rid, n, STEP_FORMS[n])
    answer = post_step(client, rid, 3, {}, action="stop")
    assert answer.headers["Location"].endswith("/decisions/")
    assert "stap 3 van 7" in client.get("/decisions/").get_data(as_text=True)
    again, step = start(client)
    assert (again, step) == (rid, 3)
    assert 3 in stored(db_session, rid).answers["steps_done"]
    page = client.get(f"/decisions/responses/{rid}/steps/2").get_data(as_text=True)
    assert page.count("checked") == 4  # the saved ratings are shown again


@pytest.mark.parametrize(
    ("n", "data", "field"),
    [
        (2, {"importance-values.no-pills": "9"}, "importance-values.no-pills"),
        (4, {"knowledge-knowledge.feel": "maybe"}, "knowledge-knowledge.feel"),
        (5, {"sure-sure": "yes"}, "sure-understand"),
        (6, {"preference": "surgery"}, "preference"),
        (7, {"good-questions": ["made-up"]}, "good-questions"),
        (7, {"own-questions": "x" * 501}, "own-questions"),
    ],
)
def test_bad_step_input_returns_400_and_stores_nothing(app, people, db_session, n, data, field):
    client = signed_in(app, "anna@example.nl")
    rid, _ = start(client)
    before = dict(stored(db_session, rid).answers)
    answer = post_step(client, rid, n, data)
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert 'class="error-summary"' in html and f'href="#{field}"' in html and f'id="{field}-error"' in html
    assert stored(db_session, rid).answers == before


def test_completing_too_early_names_the_missing_steps(app, people, db_session):
    client = signed_in(app, "anna@example.nl")
    rid, _ = start(client)
    post_step(client, rid, 1, STEP_FORMS[1])
    answer = client.post(f"/decisions/responses/{rid}/complete", data={"csrf_token": token_of(client, "/decisions/")})
    assert answer.status_code == 400
    assert 'href="#step-link-2"' in answer.get_data(as_text=True)
    assert stored(db_session, rid).status == "in-progress"


def test_saving_the_same_step_twice_keeps_one_answer(app, people, db_session):
    client = signed_in(app, "anna@example.nl")
    rid, _ = start(client)
    post_step(client, rid, 6, STEP_FORMS[6])
    post_step(client, rid, 6, STEP_FORMS[6])
    assert stored(db_session, rid).answers["steps_done"] == [6]
    assert len(db_session.exec(select(DecisionResponse)).all()) == 1


def test_simplified_view_shows_one_option_at_a_time(app, db_session, make_user):
    make_user("simple@example.nl", simplified=True, reading_level="simple")
    client = signed_in(app, "simple@example.nl")
    rid, _ = start(client)
    first = client.get(f"/decisions/responses/{rid}/steps/1").get_data(as_text=True)
    assert "Keuze 1 van 2" in first and "option-grid" not in first
    second = client.get(f"/decisions/responses/{rid}/steps/1?option=lifestyle").get_data(as_text=True)
    assert "Keuze 2 van 2" in second


def test_english_pages(app, db_session, make_user):
    make_user("en@example.nl", locale="en")
    client = signed_in(app, "en@example.nl")
    rid, _ = start(client)
    assert "Step 3 of 7" in client.get(f"/decisions/responses/{rid}/steps/3").get_data(as_text=True)
    assert "out of 100 people" in client.get(f"/decisions/responses/{rid}/steps/3").get_data(as_text=True)
