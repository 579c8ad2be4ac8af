"""After a reading (#18): one advice, the most urgent, its words, icon and status agreeing; a heading that says what
happened, one way back, times without seconds. Over every measurement type and every threshold band."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from pgo.clock import utcnow
from pgo.localtime import LOCAL_ZONE
from pgo.measurements import thresholds
from pgo.measurements.plans import create_plan
from pgo.measurements.thresholds import GENERAL_RULES, ICONS, Severity, action, advice_for, severity_word

NOW = utcnow().astimezone(LOCAL_ZONE)
MILDER = "Boven de 140: vertel het bij uw volgende afspraak."


def _beyond(rule) -> float:
    return rule.limit_value + (1 if rule.direction == "above" else -1)


@pytest.mark.parametrize("rule", GENERAL_RULES, ids=lambda r: f"{r.type}.{r.field_name}-{r.direction}-{r.limit_value}")
def test_every_band_gives_one_advice_whose_words_icon_and_status_agree(app, rule):
    with app.test_request_context():
        advice = advice_for(session=None, user_id=0, type=rule.type, values={rule.field_name: _beyond(rule)},
                            today=NOW.date(), rules=[])  # fmt: skip
        severity = Severity(advice.severity)
        # the most urgent band this value falls in
        crossed = [r for r in GENERAL_RULES if r.type == rule.type and r.field_name == rule.field_name
                   and thresholds.crosses(r.direction, r.limit_value, _beyond(rule))]  # fmt: skip
        assert severity == max((r.severity for r in crossed), key=lambda s: s.rank)
        assert advice.icon == ICONS[severity]
        assert advice.severity_word == severity_word(severity)
        assert advice.text.endswith(action(severity, "standard"))


@pytest.fixture
def anna(make_user, sign_in):
    user = make_user("anna@example.nl", name="Anna")
    sign_in("anna@example.nl")
    return user


def _form(client) -> dict:
    html = client.get("/measurements/blood_pressure/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    form_token = re.search(r'name="token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="token"', html
    )
    return {
        "csrf_token": token,
        "token": form_token.group(1),
        "day": (NOW.date() - timedelta(days=1)).isoformat(),
        "clock": "08:15",
    }


def test_a_very_high_reading_gets_only_the_most_urgent_advice(client, anna, db_session, make_user):
    # Given the care team's limits: above 180 call today, above 140 mention it at the next visit
    doctor = make_user("doc@example.nl", role="clinician")
    create_plan(session=db_session, patient_id=anna.id, clinician_id=doctor.id, type="blood_pressure", days=7,
                start_date=NOW.date() - timedelta(days=1), times_per_day=2,
                thresholds=[{"field_name": "systolic", "limit_value": 180, "severity": "call_today",
                             "advice": {"nl": {"standard": "Boven de 180: bel vandaag de praktijk."}}},
                            {"field_name": "systolic", "limit_value": 140, "severity": "info",
                             "advice": {"nl": {"standard": MILDER}}}])  # fmt: skip
    db_session.commit()
    # When 186/112 is saved
    response = client.post(
        "/measurements/blood_pressure/new", data=_form(client) | {"systolic": "186", "diastolic": "112"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Then the page says to call today, and nothing milder beside it
    assert "Boven de 180: bel vandaag de praktijk." in page
    assert "volgende afspraak" not in page
    # And the time has no seconds, and there is one way back to the measurements
    assert "08:15" in page and "08:15:00" not in page
    assert page.count("Terug naar metingen") == 1


def test_after_saving_with_htmx_the_page_heading_says_what_happened(client, anna):
    good = client.post("/measurements/blood_pressure/new", data=_form(client) | {"systolic": "120", "diastolic": "80"},
                       headers={"HX-Request": "true"})  # fmt: skip
    page = good.get_data(as_text=True)
    # the answer replaces the whole main area: its h1 says the reading is saved, and the entry heading is gone
    assert good.headers.get("HX-Retarget") == "#main"
    assert re.search(r"<h1[^>]*>Uw meting is opgeslagen</h1>", page)
    assert page.count("Terug naar metingen") == 1


def test_a_reading_above_a_limit_is_not_called_good_to_know(app):
    with app.test_request_context():
        # the status word and the advice ask the same thing (Dutch, as the app's default)
        assert severity_word(Severity.INFO) == "Vertel het bij uw volgende afspraak"
        assert action(Severity.INFO, "standard").endswith("vertel het bij uw volgende afspraak.")


def test_the_advice_can_be_heard_and_only_by_its_owner(client, anna, make_user, sign_in):
    response = client.post(
        "/measurements/blood_pressure/new", data=_form(client) | {"systolic": "120", "diastolic": "80"}
    )
    result = response.headers["Location"]
    page = client.get(result).get_data(as_text=True)
    audio_url = re.search(r'class="read-aloud" href="([^"]+)"', page).group(1)
    assert "Advies voorlezen" in page
    audio = client.get(audio_url)
    assert audio.status_code == 200 and audio.headers["Content-Type"] == "audio/wav" and audio.data[:4] == b"RIFF"
    make_user("bert@example.nl", name="Bert")
    sign_in("bert@example.nl")
    assert client.get(audio_url).status_code == 404
