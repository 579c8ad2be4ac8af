"""The sending page (#20): permission first, then a reading or a period; what waits and what was sent, in words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
from pagecheck import check_page
from test_imports_providers import at_sandbox, back_at_pgo, behave, connect, patient, sandbox, sandbox_url  # noqa: F401

from pgo.measurements.entry import record_measurement

PAGE = "/records/providers/sandbox/sending"
ACCESS_LOG = "/access-log"


@pytest.fixture
def received(sandbox):  # noqa: F811
    requests.delete(f"{sandbox}/_sandbox/received", timeout=5).raise_for_status()
    return lambda: requests.get(f"{sandbox}/_sandbox/received", params={"user": "johan"}, timeout=5).json()["received"]


@pytest.fixture
def connected(client, sandbox, patient):  # noqa: F811
    back_at_pgo(client, at_sandbox(connect(client)))
    return patient


def reading(db_session, patient, token="r1", when="2026-12-01T08:00:00"):  # noqa: F811, S107
    result = record_measurement(session=db_session, user_id=patient.id, type="blood_pressure",
                                form_values={"systolic": "142", "diastolic": "88"}, unit=None,
                                measured_at=datetime.fromisoformat(when), token=token,
                                now=datetime(2026, 12, 2, tzinfo=UTC))  # fmt: skip
    db_session.commit()
    assert result.measurement is not None, result
    return result.measurement


def allow(client, token, **choices):
    data = {"csrf_token": token(PAGE), **{k: "y" for k, v in choices.items() if v}}
    return client.post(f"{PAGE}/permission", data=data, follow_redirects=True)


def test_page_asks_for_permission_before_anything_can_be_sent(client, connected, token, received):
    html = client.get(PAGE).get_data(as_text=True)
    check_page(html, where=PAGE)
    assert "Wat mag pgo versturen?" in html and "Eerst toestemming" in html
    assert 'name="start"' not in html  # no period form without permission
    assert 'href="/records/providers/sandbox/sending"' in client.get("/records/providers").get_data(as_text=True)
    answer = client.post(f"{PAGE}/send", data={"csrf_token": token(PAGE), "what": "reading", "id": "1"},
                         follow_redirects=True)  # fmt: skip
    assert "Geef pgo eerst toestemming" in answer.get_data(as_text=True) and received() == []


def test_one_reading_is_sent_once_and_the_page_says_so(client, connected, token, received, db_session):
    measurement = reading(db_session, connected)
    allow(client, token, measurements=True)
    data = {"csrf_token": token(PAGE), "what": "reading", "id": str(measurement.id)}
    html = client.post(f"{PAGE}/send", data=data, follow_redirects=True).get_data(as_text=True)
    check_page(html, where=PAGE)
    assert "Verstuurd naar Zorgaanbieder Sandbox: 1." in html and "Bloeddruk" in html
    client.post(f"{PAGE}/send", data={**data, "csrf_token": token(PAGE)}, follow_redirects=True)
    assert len(received()) == 1


def test_a_period_with_wrong_dates_is_refused_in_words(client, connected, token, received):
    allow(client, token, measurements=True)
    data = {"csrf_token": token(PAGE), "what": "period", "start": "2026-12-05", "end": "2026-12-01"}
    answer = client.post(f"{PAGE}/send", data=data)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    check_page(html, where=PAGE)
    assert "Er is een probleem" in html and 'href="#end"' in html and 'aria-invalid="true"' in html
    assert received() == []


def test_a_failed_send_waits_is_shown_and_goes_on_try_again(client, connected, token, received, db_session, sandbox):  # noqa: F811
    reading(db_session, connected)
    reading(db_session, connected, token="r2", when="2026-12-01T20:00:00")
    allow(client, token, measurements=True)
    behave(sandbox, failure="refuse-writes")
    data = {"csrf_token": token(PAGE), "what": "period", "start": "2026-12-01", "end": "2026-12-02"}
    html = client.post(f"{PAGE}/send", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Nog niet verstuurd" in html and received() == []
    behave(sandbox, failure="")
    html = client.post(f"{PAGE}/retry", data={"csrf_token": token(PAGE)}, follow_redirects=True).get_data(as_text=True)
    assert "Verstuurd naar Zorgaanbieder Sandbox: 2." in html and len(received()) == 2


def test_each_reading_shows_whether_and_when_it_was_sent(client, connected, token, received, db_session):
    measurement = reading(db_session, connected)
    reading(db_session, connected, token="r2", when="2026-12-01T20:00:00")  # not sent
    allow(client, token, measurements=True)
    client.post(f"{PAGE}/send", data={"csrf_token": token(PAGE), "what": "reading", "id": str(measurement.id)})
    html = client.get("/measurements/blood_pressure/history?period=year").get_data(as_text=True)
    check_page(html, where="history")
    assert html.count("Verstuurd naar Zorgaanbieder Sandbox op ") == 1


def test_the_access_log_says_what_was_sent_to_whom(client, connected, token, received, db_session):
    measurement = reading(db_session, connected)
    allow(client, token, measurements=True)
    client.post(f"{PAGE}/send", data={"csrf_token": token(PAGE), "what": "reading", "id": str(measurement.id)})
    html = client.get(ACCESS_LOG).get_data(as_text=True)
    check_page(html, where="access log")
    assert "pgo stuurde uw metingen naar Zorgaanbieder Sandbox op " in html


def test_someone_elses_reading_or_bad_input_sends_nothing(client, connected, token, received, db_session, make_user):
    other = make_user("bram@example.nl")
    theirs = reading(db_session, other, token="theirs")
    allow(client, token, measurements=True, questionnaires=True, decisions=True)
    for what, ident in (("reading", str(theirs.id)), ("questionnaire", "999"), ("decision", "999")):
        answer = client.post(f"{PAGE}/send", data={"csrf_token": token(PAGE), "what": what, "id": ident})
        assert answer.status_code == 404, what
    assert (
        client.post(f"{PAGE}/send", data={"csrf_token": token(PAGE), "what": "reading", "id": "x"}).status_code == 400
    )
    assert client.post(f"{PAGE}/send", data={"csrf_token": token(PAGE), "what": "everything"}).status_code == 400
    assert client.post(f"{PAGE}/permission", data={"measurements": "y"}).status_code == 400  # no CSRF token
    assert client.get("/records/providers/nobody/sending").status_code == 404
    assert received() == []
