"""The clinician's pages: consenting patients, offering an aid, the consultation preparation, the decision made."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from decisions_web_helpers import practice, signed_in, token_of
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from sqlmodel import select

from pgo.accounts import consent
from pgo.accounts.models import AccessLogEntry
from pgo.clock import utcnow
from pgo.decisions import steps
from pgo.decisions.models import DecisionMade, DecisionOffer
from pgo.decisions.offers import offer_aid
from pgo.measurements.models import Measurement
from pgo.records.export import export_bundle

AID = "high-blood-pressure"
OWN = ["Kan ik <script>alert(1)</script> eerst sporten?", "Wat als ik vergeet?"]


@pytest.fixture
def people(db_session, make_user):
    return practice(db_session, make_user)


def answered(db_session, patient_id, doctor_id):
    """Anna answered steps 1-7 of the offered aid: prefers lifestyle, SURE 2 of 4, two own questions."""
    offer = offer_aid(
        session=db_session,
        clinician_id=doctor_id,
        patient_id=patient_id,
        aid_id=AID,
        consultation_date=date.today() + timedelta(days=7),
        note="Graag voor het gesprek",
    )
    response = steps.start_or_resume(session=db_session, user_id=patient_id, aid_id=AID, offer_id=offer.id)
    forms = {
        2: {
            "importance-values.no-pills": "5",
            "importance-values.lower-risk-now": "2",
            "importance-values.own-effort": "3",
            "importance-values.side-effects": "5",
        },
        5: {"sure-sure": "no", "sure-understand": "yes", "sure-risk_benefit": "yes", "sure-encouragement": "no"},
        6: {"preference": "lifestyle"},
        7: {"good-questions": ["options", "my-situation"], "own-questions": "\n".join(OWN)},
    }
    for n, form in forms.items():
        assert steps.save_step(
            session=db_session, response_id=response.id, user_id=patient_id, step=n, form_data=form
        ).ok
    db_session.commit()
    return response


def test_only_clinicians_open_the_clinic_pages(app, people, db_session):
    anna, bert, doctor, _ = people
    patient = signed_in(app, "anna@example.nl")
    for path in (
        "/clinic/",
        f"/clinic/patients/{anna.id}/preparation",
        f"/clinic/patients/{anna.id}/offer",
        f"/clinic/patients/{anna.id}/decisions/{AID}",
    ):
        assert patient.get(path).status_code == 403
        assert app.test_client().get(path).status_code == 302


def test_without_consent_the_patient_is_not_found(app, people):
    anna, bert, doctor, _ = people
    doctor_client = signed_in(app, "doc@example.nl")
    outsider = signed_in(app, "other@example.nl")
    for path in (
        f"/clinic/patients/{bert.id}/preparation",
        f"/clinic/patients/{bert.id}/offer",
        f"/clinic/patients/{bert.id}/decisions/{AID}",
        "/clinic/patients/99999/preparation",
    ):
        assert doctor_client.get(path).status_code == 404
    assert outsider.get(f"/clinic/patients/{anna.id}/preparation").status_code == 404
    assert doctor_client.get(f"/clinic/patients/{anna.id}/decisions/no-such-aid").status_code == 404


def test_home_lists_consenting_patients_with_offers_and_flagged_readings(app, people, db_session):
    anna, bert, doctor, _ = people
    answered(db_session, anna.id, doctor.id)
    db_session.add(
        Measurement(
            user_id=anna.id,
            type="blood_pressure",
            values={"systolic": 182, "diastolic": 101},
            unit="mm[Hg]",
            measured_at=utcnow() - timedelta(days=1),
            idempotency_token="t1",
            flagged=True,
            severity="high",
        )
    )
    db_session.commit()
    html = signed_in(app, "doc@example.nl").get("/clinic/").get_data(as_text=True)
    assert "Anna de Vries" in html and "Bert Bos" not in html
    assert "1 gemarkeerde meting" in html
    assert f"/clinic/patients/{anna.id}/preparation" in html
    assert "Mijn patiënten" in html  # the menu entry
    # #17: the list shows Anna's offered aids and flag count: that is logged, with actor, team and purpose
    db_session.expire_all()
    log = db_session.exec(select(AccessLogEntry).where(AccessLogEntry.user_id == anna.id)).all()
    listed = {(e.what, e.actor_id, e.team_id, e.purpose) for e in log if e.what.startswith("view:")}
    assert listed == {
        ("view:decisions", doctor.id, people[3].id, "care"),
        ("view:measurements", doctor.id, people[3].id, "care"),
    }
    assert db_session.exec(select(AccessLogEntry).where(AccessLogEntry.user_id == bert.id)).all() == []


def test_offer_an_aid_the_patient_sees_it_first(app, people, db_session):
    anna, _, doctor, _ = people
    client = signed_in(app, "doc@example.nl")
    path = f"/clinic/patients/{anna.id}/offer"
    bad = client.post(path, data={"aid": AID, "consultation_date": "", "csrf_token": token_of(client, path)})
    assert bad.status_code == 400 and 'href="#consultation_date"' in bad.get_data(as_text=True)
    bad = client.post(
        path, data={"aid": "made-up", "consultation_date": "2030-01-02", "csrf_token": token_of(client, path)}
    )
    assert bad.status_code == 400
    assert db_session.exec(select(DecisionOffer)).all() == []
    ok = client.post(
        path,
        data={"aid": AID, "consultation_date": "2030-01-02", "note": "Tot dan", "csrf_token": token_of(client, path)},
    )
    assert ok.status_code == 302
    html = signed_in(app, "anna@example.nl").get("/decisions/").get_data(as_text=True)
    offered = html.index("Van uw zorgteam")
    assert offered < html.index("Hoge bloeddruk") < html.index("Andere keuzehulpen")
    assert "Dr. Jansen vraagt u" in html and "Tot dan" in html


def test_preparation_shows_exactly_the_patients_answers_escaped(app, people, db_session):
    anna, _, doctor, _ = people
    answered(db_session, anna.id, doctor.id)
    html = signed_in(app, "doc@example.nl").get(f"/clinic/patients/{anna.id}/preparation").get_data(as_text=True)
    assert '<dd id="prep-preference">Eerst gezonder leven</dd>' in html
    assert "Score 2 van 4." in html and "Keuzeconflict" in html
    assert "Kan ik &lt;script&gt;alert(1)&lt;/script&gt; eerst sporten?" in html and "<script>alert" not in html
    assert "Wat als ik vergeet?" in html
    questions = html[html.index('id="prep-questions"') :]
    questions = questions[: questions.index("</ul>")]
    assert questions.count("<li") == 4  # two of the 3 good questions and two own ones, nothing else
    log = db_session.exec(select(AccessLogEntry).where(AccessLogEntry.user_id == anna.id)).all()
    assert {(e.what, e.purpose) for e in log} >= {
        ("view:decisions", "consultation"),
        ("view:measurements", "consultation"),
        ("view:records", "consultation"),
    }
    assert sorted(e.what for e in log) == ["view:decisions", "view:measurements", "view:records"]  # once each


def test_preparation_says_no_access_without_that_consent(app, db_session, make_user):
    anna, _, doctor, team = practice(db_session, make_user, categories=("decisions",))
    html = signed_in(app, "doc@example.nl").get(f"/clinic/patients/{anna.id}/preparation").get_data(as_text=True)
    assert html.count("Geen toegang: de patiënt heeft hiervoor geen toestemming gegeven.") == 2
    log = db_session.exec(select(AccessLogEntry).where(AccessLogEntry.user_id == anna.id)).all()
    assert {e.what for e in log} == {"view:decisions"}
    consent.revoke(session=db_session, patient_id=anna.id, team_id=team.id, category="decisions", actor_id=anna.id)
    db_session.commit()
    assert signed_in(app, "doc@example.nl").get(f"/clinic/patients/{anna.id}/preparation").status_code == 404


def test_record_the_decision_the_patient_sees_it(app, people, db_session):
    anna, _, doctor, _ = people
    response = answered(db_session, anna.id, doctor.id)
    client = signed_in(app, "doc@example.nl")
    path = f"/clinic/patients/{anna.id}/decisions/{AID}"
    bad = client.post(
        path, data={"chosen_option": "surgery", "decided_on": "2030-01-02", "csrf_token": token_of(client, path)}
    )
    assert bad.status_code == 400 and 'href="#chosen_option"' in bad.get_data(as_text=True)
    assert db_session.exec(select(DecisionMade)).all() == []
    ok = client.post(
        path,
        data={
            "chosen_option": "lifestyle",
            "decided_on": "2030-01-02",
            "note": "Over 3 maanden terug",
            "csrf_token": token_of(client, path),
        },
    )
    assert ok.status_code == 302
    made = db_session.exec(select(DecisionMade)).one()
    assert (made.chosen_option, made.response_id, made.decided_on) == ("lifestyle", response.id, date(2030, 1, 2))
    html = signed_in(app, "anna@example.nl").get("/decisions/").get_data(as_text=True)
    assert "Samen besloten op 2 januari 2030:" in html and "Over 3 maanden terug" in html


def test_the_export_holds_a_valid_questionnaire_response(app, people, db_session):
    anna, _, doctor, _ = people
    answered(db_session, anna.id, doctor.id)
    bundle = export_bundle(session=db_session, user_id=anna.id)
    found = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert len(found) == 1
    QuestionnaireResponse.model_validate(found[0])


def test_forms_and_values_render(app, people, db_session):
    anna, _, doctor, _ = people
    answered(db_session, anna.id, doctor.id)
    client = signed_in(app, "doc@example.nl")
    offer = client.get(f"/clinic/patients/{anna.id}/offer").get_data(as_text=True)
    assert offer.count('type="radio"') == 3 and 'for="consultation_date"' in offer
    decision = client.get(f"/clinic/patients/{anna.id}/decisions/{AID}").get_data(as_text=True)
    assert "Nog niet besloten" in decision
    prep = client.get(f"/clinic/patients/{anna.id}/preparation").get_data(as_text=True)
    values = prep[prep.index('id="prep-values"') :]
    values = values[: values.index("</dd>")]
    assert values.count("<li>") == 2 and values.count("(5 van 5)") == 2  # only what she rated highest
