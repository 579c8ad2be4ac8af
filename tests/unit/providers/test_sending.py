"""Sending to a connected provider (#20): only with permission, once each, also after failures and lost answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
from fhir.resources.R4B.observation import Observation
from fhir.resources.STU3.observation import Observation as ObservationSTU3

from pgo.accounts.access_log import access_log_for_patient
from pgo.i18n import use_locale
from pgo.measurements import sending as measurement_sending
from pgo.measurements.entry import record_measurement
from pgo.providers import save_connection
from pgo.providers.errors import UNREACHABLE
from pgo.providers.models import MEASUREMENTS, SENT, WAITING
from pgo.providers.sending import SendNotAllowed, deliver, queue, set_send_consent

SECRET = "test secret key for provider tokens"


def set_behaviour(base_url: str, **form: str) -> None:
    requests.post(f"{base_url}/_sandbox/behaviour", data=form, timeout=5).raise_for_status()


@pytest.fixture
def inbox(sandbox):
    requests.delete(f"{sandbox}/_sandbox/received", timeout=5).raise_for_status()

    def received(user: str) -> list[dict]:
        return requests.get(f"{sandbox}/_sandbox/received", params={"user": user}, timeout=5).json()["received"]

    return received


def connected(session, patient, provider, connect, username="johan"):
    save_connection(
        session=session, user_id=patient.id, provider=provider, tokens=connect(provider, username), secret_key=SECRET
    )
    session.commit()


def reading(session, patient, kind="blood_pressure", values=None, when="2026-12-01T08:00:00", token="t1"):  # noqa: S107 (a form token)
    result = record_measurement(
        session=session,
        user_id=patient.id,
        type=kind,
        form_values=values or {"systolic": "142", "diastolic": "88"},
        unit=None,
        measured_at=datetime.fromisoformat(when),
        token=token,
        now=datetime(2026, 12, 2, tzinfo=UTC),
    )
    assert result.measurement is not None, result
    return result.measurement


def send(session, patient, provider, measurements):
    queue(
        session=session,
        user_id=patient.id,
        provider_id=provider.id,
        provider_name=provider.name,
        items=[measurement_sending.outgoing(m) for m in measurements],
    )
    report = deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    session.commit()
    return report


def allow(session, patient, provider, allowed=True):
    set_send_consent(
        session=session, user_id=patient.id, provider_id=provider.id, category=MEASUREMENTS, allowed=allowed
    )


def test_nothing_is_queued_without_permission(session, patient, provider, connect, inbox):
    connected(session, patient, provider, connect)
    with pytest.raises(SendNotAllowed, match="measurements"):
        send(session, patient, provider, [reading(session, patient)])
    assert inbox("johan") == []


def test_a_reading_arrives_once_as_a_stu3_self_measurement_with_loinc_and_ucum(
    session, patient, provider, connect, inbox
):
    connected(session, patient, provider, connect)
    allow(session, patient, provider)
    measurement = reading(session, patient)
    report = send(session, patient, provider, [measurement])
    assert report.sent == 1 and report.failed == 0
    again = send(session, patient, provider, [measurement])  # the same reading once more: already sent
    assert again.sent == 0
    (arrived,) = inbox("johan")
    ObservationSTU3.model_validate(arrived)
    assert arrived["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "85354-9",
        "display": "Blood pressure panel with all children optional",
    }
    systolic = next(c for c in arrived["component"] if c["code"]["coding"][0]["code"] == "8480-6")
    assert systolic["valueQuantity"] == {"value": 142, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org",
                                         "code": "mm[Hg]"}  # fmt: skip
    assert arrived["meta"]["profile"] == ["http://nictiz.nl/fhir/StructureDefinition/zib-BloodPressure"]
    assert arrived["subject"] == arrived["performer"][0]  # measured by the patient


def test_r4_provider_gets_r4(session, patient, provider, connect, inbox):
    connected(session, patient, provider, connect, "jo")
    allow(session, patient, provider)
    send(session, patient, provider, [reading(session, patient, "body_weight", {"value": "72.5"})])
    (arrived,) = inbox("jo")
    Observation.model_validate(arrived)
    assert arrived["valueQuantity"]["code"] == "kg" and arrived["code"]["coding"][0]["code"] == "29463-7"
    assert arrived["category"][0]["coding"][0]["system"].startswith("http://terminology.hl7.org/")


def test_a_failed_send_waits_shows_why_and_goes_once_on_retry(session, patient, provider, connect, inbox, sandbox):
    connected(session, patient, provider, connect)
    allow(session, patient, provider)
    first, second = reading(session, patient), reading(session, patient, when="2026-12-01T20:00:00", token="t2")
    set_behaviour(sandbox, failure="refuse-writes")
    report = send(session, patient, provider, [first, second])
    assert report.sent == 0 and report.error_kind == UNREACHABLE and inbox("johan") == []
    items = measurement_sending_items(session, patient)
    assert [(i.status, i.last_error, i.attempts) for i in items] == [(WAITING, UNREACHABLE, 1)] + [(WAITING, None, 0)]
    set_behaviour(sandbox, failure="")
    assert deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET).sent == 2
    assert len(inbox("johan")) == 2


def test_a_lost_answer_does_not_make_a_second_copy(session, patient, provider, connect, inbox, sandbox):
    connected(session, patient, provider, connect)
    allow(session, patient, provider)
    set_behaviour(sandbox, failure="lose-answers")  # the provider stores it, pgo never hears back
    assert send(session, patient, provider, [reading(session, patient)]).sent == 0
    assert len(inbox("johan")) == 1
    set_behaviour(sandbox, failure="")
    assert deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET).sent == 1
    assert len(inbox("johan")) == 1  # If-None-Exist: the provider had it already
    (item,) = measurement_sending_items(session, patient)
    assert item.status == SENT and item.sent_at is not None and item.attempts == 2


def test_taking_permission_back_holds_what_waits(session, patient, provider, connect, inbox, sandbox):
    connected(session, patient, provider, connect)
    allow(session, patient, provider)
    set_behaviour(sandbox, failure="refuse-writes")
    send(session, patient, provider, [reading(session, patient)])
    set_behaviour(sandbox, failure="")
    allow(session, patient, provider, allowed=False)
    report = deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    assert report.sent == 0 and report.held == 1 and inbox("johan") == []


def test_what_was_sent_is_in_the_access_log_in_plain_words(session, patient, provider, connect, inbox):
    connected(session, patient, provider, connect)
    allow(session, patient, provider)
    send(session, patient, provider, [reading(session, patient)])
    (line,) = access_log_for_patient(session=session, patient_id=patient.id)
    with use_locale("en"):
        assert line.sentence.startswith("pgo sent your measurements to Zorgaanbieder Sandbox on ")
    with use_locale("nl"):
        assert "Zorgaanbieder Sandbox" in line.sentence and "metingen" in line.sentence


def measurement_sending_items(session, patient):
    from pgo.providers.sending import items_for

    return list(reversed(items_for(session=session, user_id=patient.id, kind="measurement")))


def test_a_providers_questionnaire_goes_back_to_it_once_and_validates(session, patient, provider, connect, inbox):
    from fhir.resources.STU3.questionnaireresponse import QuestionnaireResponse

    from pgo.providers.models import QUESTIONNAIRES
    from pgo.questionnaires import sending as questionnaire_sending
    from pgo.questionnaires.models import OfferStatus
    from pgo.questionnaires.response import answers_in

    offer = answered_questionnaire(session, patient, provider, connect, allow=False)
    assert questionnaire_sending.waiting_offers(session=session, user_id=patient.id, provider_id="sandbox") == [offer]
    with pytest.raises(SendNotAllowed, match="questionnaires"):
        queue(
            session=session, user_id=patient.id, provider_id=provider.id, items=[questionnaire_sending.outgoing(offer)]
        )
    set_send_consent(
        session=session, user_id=patient.id, provider_id=provider.id, category=QUESTIONNAIRES, allowed=True
    )
    for _ in range(2):
        queue(
            session=session, user_id=patient.id, provider_id=provider.id, items=[questionnaire_sending.outgoing(offer)]
        )
        deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    (arrived,) = inbox("johan")
    QuestionnaireResponse.model_validate(arrived)
    assert answers_in(arrived) == answers_in(offer.response)
    assert offer.status == OfferStatus.SENT and offer.sent_at is not None
    assert questionnaire_sending.waiting_offers(session=session, user_id=patient.id, provider_id="sandbox") == []
    (task,) = tasks(provider, "johan")  # the provider's request is done, with the answers as its output
    assert task["id"] == offer.task_id and task["status"] == "completed"
    assert [o["valueReference"]["reference"] for o in task["output"]] == [f"QuestionnaireResponse/{arrived['id']}"]


def tasks(provider, user: str) -> list[dict]:
    base = provider.fhir_base_url.removesuffix("/fhir")
    return requests.get(f"{base}/_sandbox/received", params={"user": user}, timeout=5).json()["tasks"]


def answered_questionnaire(session, patient, provider, connect, allow: bool = True):
    """Johan answered the sandbox's questionnaire (and, with ``allow``, may send it back): the offer, finished."""
    from pgo.providers.models import QUESTIONNAIRES
    from pgo.questionnaires import store
    from pgo.sandbox.questionnaires import questionnaire_resources

    connected(session, patient, provider, connect)
    resources = list(questionnaire_resources("johan"))
    (offer,) = store.offers_from_resources(session=session, user_id=patient.id, resources=resources, source="sandbox")
    model = store.questionnaire_of(offer)
    form = {model.item(f"{a}-score").field: ["3"] for a in ("body", "feelings", "meaning", "life", "people", "daily")}
    form |= {model.item("talk-want").field: ["false"]}
    link_ids = [item.link_id for item in model.walk()]
    store.save_page(
        session=session, offer_id=offer.id, user_id=patient.id, link_ids=link_ids, form_data=form, token="q"
    )
    assert store.finish(session=session, offer_id=offer.id, user_id=patient.id).ok
    if allow:
        set_send_consent(
            session=session, user_id=patient.id, provider_id=provider.id, category=QUESTIONNAIRES, allowed=True
        )
    return offer


def test_when_the_task_cannot_be_closed_the_answers_wait_and_go_once(
    session, patient, provider, connect, inbox, sandbox
):
    """The answers arrived but the provider's Task could not be updated: the item waits and says why; the retry
    closes the Task without a second copy of the answers (#20)."""
    from pgo.questionnaires import sending as questionnaire_sending
    from pgo.questionnaires.models import OfferStatus

    offer = answered_questionnaire(session, patient, provider, connect)
    set_behaviour(sandbox, failure="refuse-task-updates")
    queue(session=session, user_id=patient.id, provider_id=provider.id, items=[questionnaire_sending.outgoing(offer)])
    first = deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    assert (first.sent, first.failed, first.error_kind) == (0, 1, UNREACHABLE)
    assert offer.status == OfferStatus.READY_TO_SEND and tasks(provider, "johan") == []
    set_behaviour(sandbox, failure="")
    again = deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    assert (again.sent, again.failed) == (1, 0)
    (arrived,) = inbox("johan")
    (task,) = tasks(provider, "johan")
    assert task["status"] == "completed"
    assert task["output"][0]["valueReference"]["reference"] == f"QuestionnaireResponse/{arrived['id']}"
    assert offer.status == OfferStatus.SENT


def test_decision_aid_answers_go_as_an_r4_questionnaire_response(session, patient, provider, connect, inbox):
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    from pgo.decisions import sending as decision_sending
    from pgo.decisions.aid import available_aids
    from pgo.decisions.steps import complete, save_step, start_or_resume
    from pgo.providers.models import DECISIONS

    all_forms = decisions_helpers().all_forms

    connected(session, patient, provider, connect, "jo")
    aid = available_aids()[0]
    response = start_or_resume(session=session, user_id=patient.id, aid_id=aid.id, lang="nl", level="simple")
    for step, form in all_forms(aid).items():
        save_step(session=session, response_id=response.id, user_id=patient.id, step=step, form_data=form)
    assert complete(session=session, response_id=response.id, user_id=patient.id).ok
    ((found, title),) = decision_sending.finished_responses(session=session, user_id=patient.id)
    assert found.id == response.id and title
    set_send_consent(session=session, user_id=patient.id, provider_id=provider.id, category=DECISIONS, allowed=True)
    queue(session=session, user_id=patient.id, provider_id=provider.id, items=[decision_sending.outgoing(response)])
    assert deliver(session=session, user_id=patient.id, provider=provider, secret_key=SECRET).sent == 1
    (arrived,) = inbox("jo")
    QuestionnaireResponse.model_validate(arrived)
    assert arrived["questionnaire"] == f"{aid.url}|{aid.version}" and arrived["item"]


def decisions_helpers():
    """The decision tests' form helpers (a module beside those tests, not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "decisions" / "decisions_helpers.py"
    spec = importlib.util.spec_from_file_location("decisions_helpers_for_sending", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_export_says_what_was_sent_and_what_still_waits(session, patient, provider, connect, inbox, sandbox):
    from fhir.resources.R4B.communication import Communication

    from pgo.records.export import export_bundle

    connected(session, patient, provider, connect)
    allow(session, patient, provider)
    send(session, patient, provider, [reading(session, patient)])
    set_behaviour(sandbox, failure="refuse-writes")
    send(session, patient, provider, [reading(session, patient, when="2026-12-01T20:00:00", token="t2")])
    set_behaviour(sandbox, failure="")
    bundle = export_bundle(session=session, user_id=patient.id)
    sent = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Communication"]
    for resource in sent:
        Communication.model_validate(resource)
    assert [r["status"] for r in sent] == ["completed", "in-progress"]
    assert sent[0]["recipient"] == [{"display": "Zorgaanbieder Sandbox"}] and "sent" in sent[0]
    assert "unreachable" in sent[1]["statusReason"]["text"]


def test_automatic_sending_takes_the_plans_new_readings_only(session, patient, provider, connect, inbox):
    from datetime import date

    from pgo.accounts.service import create_user
    from pgo.measurements.plans import create_plan
    from pgo.providers.outbox import send_waiting

    connected(session, patient, provider, connect)
    doctor = create_user(session=session, email="dr@example.nl", password="a long password 123", role="clinician")
    create_plan(session=session, patient_id=patient.id, clinician_id=doctor.id, type="blood_pressure", days=7,
                start_date=date(2026, 11, 28), times_per_day=2)  # fmt: skip
    before = reading(session, patient, when="2026-11-30T08:00:00", token="old")  # before her permission
    set_send_consent(session=session, user_id=patient.id, provider_id=provider.id, category=MEASUREMENTS,
                     allowed=True, automatic=True, now=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
    plan_reading = reading(session, patient, when="2026-12-01T20:00:00", token="new")
    weight = reading(session, patient, "body_weight", {"value": "72.5"}, when="2026-12-01T20:05:00", token="w")
    report = send_waiting(session=session, user_id=patient.id, provider=provider, secret_key=SECRET,
                          today=date(2026, 12, 2))  # fmt: skip
    assert report.sent == 1
    (arrived,) = inbox("johan")
    assert arrived["effectiveDateTime"].startswith("2026-12-01T19:00")  # 20:00 Dutch time
    sent_keys = {item.item_key for item in measurement_sending_items(session, patient)}
    assert sent_keys == {str(plan_reading.id)} and str(before.id) not in sent_keys and str(weight.id) not in sent_keys


def test_automatic_sending_counts_plan_days_in_dutch_time(session, patient, provider, connect, inbox):
    """Half past midnight in the Netherlands is still yesterday in UTC: the plan that starts today is running."""
    from datetime import date

    import time_machine

    from pgo.accounts.service import create_user
    from pgo.measurements.plans import create_plan
    from pgo.providers.outbox import send_waiting

    connected(session, patient, provider, connect)
    doctor = create_user(session=session, email="dr@example.nl", password="a long password 123", role="clinician")
    create_plan(session=session, patient_id=patient.id, clinician_id=doctor.id, type="blood_pressure", days=7,
                start_date=date(2026, 12, 2), times_per_day=2)  # fmt: skip
    set_send_consent(session=session, user_id=patient.id, provider_id=provider.id, category=MEASUREMENTS,
                     allowed=True, automatic=True, now=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
    reading(session, patient, when="2026-12-02T00:10:00", token="just-after-midnight")  # Dutch time
    with time_machine.travel(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), tick=False):  # 00:30 on 2 December in NL
        report = send_waiting(session=session, user_id=patient.id, provider=provider, secret_key=SECRET)
    assert report.sent == 1
