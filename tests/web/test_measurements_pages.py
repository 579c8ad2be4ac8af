"""Measurement pages through the test client: roles, consent, validation, units, double submission, htmx."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlmodel import select

from pgo.accounts import consent, teams
from pgo.accounts.models import AccessLogEntry
from pgo.clock import utcnow
from pgo.localtime import LOCAL_ZONE
from pgo.measurements.models import Measurement, MeasurementPlan, ThresholdRule
from pgo.measurements.plans import create_plan

# A fixed clock (#23): the pages' "today" and the entries typed from NOW cannot fall on two sides of midnight. In
# the past, never ahead of the real clock: the CSV store ages its files by their real modification time, and a
# clock ahead of it made a file written a moment ago look hours old (#17's two-hour limit).
CLOCK = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)
NOW = CLOCK.astimezone(LOCAL_ZONE)


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(CLOCK + timedelta(minutes=1), tick=True):
        yield


def form_token(html: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)"[^>]*name="{name}"', html
    )
    assert match, f"no {name} in the page"
    return match.group(1)


@pytest.fixture
def anna(make_user, sign_in):
    user = make_user("anna@example.nl", name="Anna")
    sign_in("anna@example.nl")
    return user


@pytest.fixture
def entry_form(client, anna):
    def open(type_key: str = "blood_pressure") -> dict:
        html = client.get(f"/measurements/{type_key}/new").get_data(as_text=True)
        return {
            "csrf_token": form_token(html),
            "token": form_token(html, "token"),
            "day": NOW.date().isoformat(),
            "clock": NOW.strftime("%H:%M"),
        }

    return open


def stored(db_session, user_id) -> list[Measurement]:
    db_session.expire_all()
    return list(db_session.exec(select(Measurement).where(Measurement.user_id == user_id)))


def test_patient_enters_blood_pressure_and_reads_the_advice(client, anna, entry_form, db_session):
    data = entry_form() | {"systolic": "128", "diastolic": "82", "heart_rate": "70"}
    response = client.post("/measurements/blood_pressure/new", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "128/82 mmHg" in page
    assert "Binnen de grenzen" in page  # the severity in words, with an icon
    assert 'role="img"' in page
    assert [m.values["systolic"] for m in stored(db_session, anna.id)] == [128]


def test_pages_follow_the_roles(client, make_user, sign_in):
    make_user("doc@example.nl", role="clinician", name="Dr. Jansen")
    assert client.get("/measurements").status_code == 302  # signed out: to the sign-in page
    sign_in("doc@example.nl")
    for path in ("/measurements", "/measurements/blood_pressure/new", "/measurements/import",
                 "/measurements/blood_pressure/history"):  # fmt: skip
        assert client.get(path).status_code == 403, path
    assert client.get("/clinic/measurements").status_code == 200


def test_patients_cannot_open_clinician_pages(client, anna):
    assert client.get("/clinic/measurements").status_code == 403
    assert client.get(f"/clinic/patients/{anna.id}/measurements").status_code == 403


def test_home_shows_the_plan_checklist_the_last_values_and_sharing(client, anna, entry_form, db_session, make_user):
    doctor = make_user("doc@example.nl", role="clinician")
    create_plan(session=db_session, patient_id=anna.id, clinician_id=doctor.id, type="blood_pressure", days=7,
                start_date=NOW.date(), times_per_day=2)  # fmt: skip
    team = teams.create_team(session=db_session, name="De Linde", kind="practice")
    consent.grant(session=db_session, patient_id=anna.id, team_id=team.id, category="measurements", actor_id=anna.id)
    db_session.commit()
    page = client.get("/measurements").get_data(as_text=True)
    assert page.count("nog niet") == 2 and "Nu meten" in page
    assert "Nog geen metingen." in page
    assert "De Linde" in page and 'href="/access-log"' in page
    client.post("/measurements/blood_pressure/new", data=entry_form() | {"systolic": "131", "diastolic": "84"})
    page = client.get("/measurements").get_data(as_text=True)
    assert page.count("nog niet") == 1 and page.count("gedaan") == 1
    assert "131/84 mmHg" in page


@pytest.mark.parametrize(
    ("type_key", "values", "field", "message"),
    [
        ("blood_pressure", {"systolic": "", "diastolic": "80"}, "systolic", "Vul een waarde in voor Systolisch"),
        ("blood_pressure", {"systolic": "abc", "diastolic": "80"}, "systolic", "moet een getal zijn"),
        ("blood_pressure", {"systolic": "400", "diastolic": "80"}, "systolic", "moet tussen 50 en 300 liggen"),
        ("blood_pressure", {"systolic": "80", "diastolic": "90"}, "systolic", "hoger zijn dan"),
        ("pain_score", {"value": "3,5"}, "value", "heel getal"),
        ("body_weight", {"value": "70", "unit": "stone"}, "unit", "Kies een van de eenheden"),
        ("feeling", {"note": ""}, "note", "Schrijf op hoe u zich vandaag voelt"),
        ("body_weight", {"value": "70", "day": "2999-01-01"}, "day", "niet in de toekomst"),
        ("body_weight", {"value": "70", "clock": ""}, "day", "Vul de datum en tijd"),
    ],
)
def test_every_rule_refuses_through_the_form(client, anna, entry_form, db_session, type_key, values, field, message):
    response = client.post(f"/measurements/{type_key}/new", data=entry_form(type_key) | values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'href="#{field}"' in page  # the error summary links to the field
    assert f'id="{field}-error"' in page or field == "unit"
    assert stored(db_session, anna.id) == []


def test_simple_reading_level_gives_simple_messages(client, make_user, sign_in, entry_form, db_session):
    make_user("bert@example.nl", reading_level="simple")
    sign_in("bert@example.nl")
    response = client.post(
        "/measurements/blood_pressure/new", data=entry_form() | {"systolic": "80", "diastolic": "90"}
    )
    assert response.status_code == 400
    assert "De bovendruk moet hoger zijn dan de onderdruk." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("type_key", "entered", "unit", "canonical"),
    [("body_weight", "160", "[lb_av]", 72.575), ("blood_glucose", "110", "mg/dL", 6.106),
     ("body_temperature", "100,4", "[degF]", 38.0)],
)  # fmt: skip
def test_units_are_converted_through_the_form(client, anna, entry_form, db_session, type_key, entered, unit, canonical):
    response = client.post(
        f"/measurements/{type_key}/new", data=entry_form(type_key) | {"value": entered, "unit": unit}
    )
    assert response.status_code == 303
    [measurement] = stored(db_session, anna.id)
    assert measurement.values["value"] == pytest.approx(canonical, abs=0.01)
    assert measurement.entered_unit == unit


def test_an_unlikely_value_is_stored_only_after_confirmation(client, anna, entry_form, db_session):
    data = entry_form("body_weight") | {"value": "260"}
    first = client.post("/measurements/body_weight/new", data=data)
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "is ongewoon" in page
    assert 'name="confirm"' in page and stored(db_session, anna.id) == []
    second = client.post("/measurements/body_weight/new", data=data | {"confirm": "y"})
    assert second.status_code == 303
    assert [m.values["value"] for m in stored(db_session, anna.id)] == [260]


def test_a_double_submission_stores_once_and_shows_the_same_result(client, anna, entry_form, db_session):
    data = entry_form() | {"systolic": "128", "diastolic": "82"}
    first = client.post("/measurements/blood_pressure/new", data=data)
    second = client.post("/measurements/blood_pressure/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stored(db_session, anna.id)) == 1


def test_personal_limits_give_the_clinicians_advice(client, anna, entry_form, db_session, make_user):
    doctor = make_user("doc@example.nl", role="clinician")
    create_plan(session=db_session, patient_id=anna.id, clinician_id=doctor.id, type="blood_pressure", days=7,
                start_date=NOW.date(), times_per_day=2,
                thresholds=[{"field_name": "systolic", "limit_value": 180, "severity": "call_today",
                             "advice": {"nl": {"standard": "Boven 180: bel vandaag de praktijk."}}}])  # fmt: skip
    db_session.commit()
    response = client.post(
        "/measurements/blood_pressure/new", data=entry_form() | {"systolic": "185", "diastolic": "95"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Boven 180: bel vandaag de praktijk." in page
    assert "Bel vandaag uw praktijk" in page  # the severity in words
    assert 'class="icon icon-phone" role="img"' in page
    assert stored(db_session, anna.id)[0].flagged


def test_htmx_gets_the_partial_and_plain_forms_the_full_page(client, anna, entry_form, db_session):
    htmx = {"HX-Request": "true"}
    assert client.get("/measurements/blood_pressure/new", headers=htmx).get_data(as_text=True).lstrip().startswith("<")
    partial = client.get("/measurements/blood_pressure/new", headers=htmx).get_data(as_text=True)
    assert "<!doctype" not in partial.lower() and "<form" in partial
    bad = client.post("/measurements/blood_pressure/new", data=entry_form() | {"systolic": "x"}, headers=htmx)
    assert bad.status_code == 400 and "<!doctype" not in bad.get_data(as_text=True).lower()
    good = client.post("/measurements/blood_pressure/new", data=entry_form() | {"systolic": "120", "diastolic": "80"},
                       headers=htmx)  # fmt: skip
    page = good.get_data(as_text=True)
    assert good.status_code == 200 and "<!doctype" not in page.lower() and "Uw meting is opgeslagen" in page
    full = client.get("/measurements/blood_pressure/new").get_data(as_text=True)
    assert full.lower().startswith("<!doctype") and 'hx-post="/measurements/blood_pressure/new"' in full


def test_someone_elses_result_is_not_found(client, anna, make_user, db_session):
    other = make_user("bert@example.nl")
    measurement = Measurement(user_id=other.id, type="body_weight", values={"value": 70}, unit="kg",
                              measured_at=utcnow(), idempotency_token="x")  # fmt: skip
    db_session.add(measurement)
    db_session.commit()
    assert client.get(f"/measurements/result/{measurement.id}").status_code == 404
    assert client.get("/measurements/no_such_type/new").status_code == 404


def test_history_shows_summary_chart_and_table_per_period(client, anna, entry_form, db_session):
    client.post("/measurements/blood_pressure/new", data=entry_form() | {"systolic": "142", "diastolic": "88"})
    for period in ("week", "month", "year"):
        page = client.get(f"/measurements/blood_pressure/history?period={period}").get_data(as_text=True)
        assert "Uw gemiddelde" in page and "142/88 mmHg" in page
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "<table" in page
        assert 'aria-current="page"' in page
        svg = page[page.index("<svg xmlns") : page.index("</svg>", page.index("<svg xmlns"))]
        assert "style=" not in svg
    assert client.get("/measurements/blood_pressure/history?period=decade").status_code == 200  # falls back to week


def test_a_long_history_table_is_paged_and_the_pages_keep_the_period(client, anna, db_session):
    from sqlalchemy import insert

    from pgo.measurements.entry import new_form_token

    start = NOW.replace(month=1, day=1, hour=8, minute=0, second=0, microsecond=0)
    rows = [
        {"user_id": anna.id, "type": "blood_pressure", "values": {"systolic": 120 + n % 20, "diastolic": 80},
         "entered_values": {"systolic": 120 + n % 20, "diastolic": 80}, "unit": "mmHg",
         "measured_at": start + timedelta(hours=n), "source": "entered",
         "idempotency_token": new_form_token(), "flagged": False, "severity": "ok", "note": ""}
        for n in range(60)
    ]  # fmt: skip
    db_session.execute(insert(Measurement.__table__), rows)
    db_session.commit()
    first = client.get("/measurements/blood_pressure/history?period=year").get_data(as_text=True)
    assert first.count("<tr>") == 1 + 50  # the head row and the newest 50
    assert "pagina 1 van 2" in first and 'rel="next"' in first
    assert "/measurements/blood_pressure/history?page=2&amp;period=year" in first
    second = client.get("/measurements/blood_pressure/history?period=year&page=2").get_data(as_text=True)
    assert second.count("<tr>") == 1 + 10 and 'rel="prev"' in second
    # the year's average over the readings (systolic 120-139, each three times): 129.5, shown as 130. The old check
    # here ("60" in the summary) was always true: it matched the chart's viewBox (#23)
    assert "Uw gemiddelde dit jaar was 130/80 mmHg." in first.split('class="summary lead"')[1][:200]


YESTERDAY = (NOW - timedelta(days=1)).date().isoformat()
CSV = (
    "date,time,type,value,unit,systolic,diastolic\n"
    f"{YESTERDAY},07:00,bloeddruk,,mmHg,135,85\n"
    f'{YESTERDAY},07:05,gewicht,"72,5",kg,,\n'
    "2025-13-40,07:00,gewicht,70,kg,,\n"
    f"{YESTERDAY},07:10,blood_pressure,,mmHg,80,90\n"
)


def upload(client, text: str, name: str = "meter.csv"):
    from io import BytesIO

    token = form_token(client.get("/measurements/import").get_data(as_text=True))
    return client.post("/measurements/import", data={"csrf_token": token, "file": (BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")  # fmt: skip


def test_csv_import_previews_bad_rows_and_stores_good_rows_once_after_confirming(client, anna, db_session):
    response = upload(client, CSV)
    assert response.status_code == 303
    preview_path = response.headers["Location"]
    page = client.get(preview_path).get_data(as_text=True)
    assert "2 regels kunnen worden opgeslagen" in page and "2 regels hebben een probleem" in page
    assert re.search(r"<td[^>]*>4</td>\s*<td[^>]*>De datum of tijd", page)
    assert re.search(r"<td[^>]*>5</td>\s*<td[^>]*>Systolisch moet hoger", page)
    assert stored(db_session, anna.id) == []  # nothing before confirming
    token = form_token(page)
    assert client.post(preview_path, data={"csrf_token": token}).status_code == 303
    assert client.post(preview_path, data={"csrf_token": token}).status_code == 303  # again: nothing new
    assert sorted(m.type for m in stored(db_session, anna.id)) == ["blood_pressure", "body_weight"]
    assert "0 nieuwe metingen opgeslagen. 2 waren al eerder opgeslagen." in client.get("/measurements").get_data(
        as_text=True
    )


def test_csv_upload_is_private_and_checked(client, anna, make_user, sign_in, db_session):
    preview_path = upload(client, CSV).headers["Location"]
    token = form_token(client.get("/measurements/import").get_data(as_text=True))
    missing = client.post("/measurements/import", data={"csrf_token": token}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "Kies een CSV-bestand." in missing.get_data(as_text=True)
    binary = upload(client, "")
    assert client.get(binary.headers["Location"]).status_code == 200  # an empty file: the page says why
    make_user("bert@example.nl")
    sign_in("bert@example.nl")
    assert client.get(preview_path).status_code == 404
    assert client.get("/measurements/import/..%2F..%2Fsecret").status_code == 404


def test_a_refused_csv_is_not_kept_on_the_server(client, anna, app):
    """#17: every uploaded CSV, also refused ones, stayed on disk for 24 hours."""
    folder = Path(app.instance_path) / "csv-uploads"
    nothing_good = upload(client, "date,time,type,value,unit\n2025-13-40,07:00,gewicht,70,kg\n")
    page = client.get(nothing_good.headers["Location"])
    assert page.status_code == 200 and "De datum of tijd" in page.get_data(as_text=True)  # the page says why
    assert list(folder.glob("*.json")) == []
    empty = upload(client, "")
    assert client.get(empty.headers["Location"]).status_code == 200
    assert list(folder.glob("*.json")) == []
    good = upload(client, CSV)
    assert client.get(good.headers["Location"]).status_code == 200 and len(list(folder.glob("*.json"))) == 1


@pytest.fixture
def doctor_with_anna(make_user, sign_in, db_session):
    anna = make_user("anna@example.nl", name="Anna de Vries")
    doctor = make_user("doc@example.nl", role="clinician", name="Dr. Jansen")
    team = teams.create_team(session=db_session, name="De Linde", kind="practice")
    teams.add_clinician(session=db_session, team_id=team.id, clinician_id=doctor.id)
    db_session.commit()
    sign_in("doc@example.nl")
    return anna, team


def plan_data(token: str, **changes) -> dict:
    data = {"csrf_token": token, "type": "blood_pressure", "times_per_day": "2", "days": "7",
            "start_date": NOW.date().isoformat(), "instructions": "Na 5 minuten rust.",
            "first-field_name": "systolic", "first-direction": "above", "first-limit_value": "180",
            "first-severity": "call_today", "first-advice": "Boven 180: bel vandaag de praktijk.",
            "second-field_name": "systolic", "second-direction": "above", "second-limit_value": "",
            "second-severity": "info", "second-advice": ""}  # fmt: skip
    return data | changes


def test_a_clinician_without_consent_gets_not_found(client, doctor_with_anna):
    anna, _team = doctor_with_anna
    assert client.get(f"/clinic/patients/{anna.id}/measurements").status_code == 404
    assert client.get(f"/clinic/patients/{anna.id}/measurements/plan").status_code == 404
    assert "Geen patiënt deelt metingen met u." in client.get("/clinic/measurements").get_data(as_text=True)


def test_a_clinician_sets_a_plan_and_sees_flagged_readings(client, doctor_with_anna, db_session):
    anna, team = doctor_with_anna
    consent.grant(session=db_session, patient_id=anna.id, team_id=team.id, category="measurements", actor_id=anna.id)
    db_session.commit()
    path = f"/clinic/patients/{anna.id}/measurements/plan"
    token = form_token(client.get(path).get_data(as_text=True))
    bad = client.post(path, data=plan_data(token, days="0", **{"first-limit_value": "veel"}))
    assert bad.status_code == 400
    assert "Vul een getal in van 1 tot en met 365." in bad.get_data(as_text=True)
    assert "Vul de grens in als getal" in bad.get_data(as_text=True)
    too_early = client.post(path, data=plan_data(token, start_date="1850-01-01"))  # #17: one date rule
    assert too_early.status_code == 400 and "1900" in too_early.get_data(as_text=True)
    wrong_field = client.post(path, data=plan_data(token, **{"first-field_name": "value"}))
    assert wrong_field.status_code == 400 and db_session.exec(select(MeasurementPlan)).all() == []
    assert client.post(path, data=plan_data(token)).status_code == 303
    [rule] = db_session.exec(select(ThresholdRule)).all()
    assert (rule.field_name, rule.limit_value, rule.severity) == ("systolic", 180, "call_today")
    db_session.add(Measurement(user_id=anna.id, type="blood_pressure", values={"systolic": 190, "diastolic": 100},
                               unit="mm[Hg]", measured_at=utcnow() - timedelta(hours=1), idempotency_token="t",
                               flagged=True, severity="call_today"))  # fmt: skip
    db_session.commit()
    page = client.get(f"/clinic/patients/{anna.id}/measurements").get_data(as_text=True)
    assert "190/100 mmHg" in page and "Na 5 minuten rust." in page
    # the clinician reads what the patient was told, in a clinician's words, not the patient's own (#18)
    assert "Advies: vandaag bellen" in page and "Bel vandaag uw praktijk" not in page
    listing = client.get("/clinic/measurements").get_data(as_text=True)
    assert "Anna de Vries" in listing and "190/100 mmHg" in listing
    assert "Advies: vandaag bellen" in listing and "Bel vandaag uw praktijk" not in listing
    logged = {e.what for e in db_session.exec(select(AccessLogEntry).where(AccessLogEntry.user_id == anna.id))}
    assert logged == {"view:measurements"}


def test_a_form_token_that_is_not_ours_is_explained_at_the_first_field(client, anna, entry_form, db_session):
    response = client.post(
        "/measurements/blood_pressure/new", data=entry_form() | {"systolic": "131", "diastolic": "84", "token": "x y"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="systolic-error"' in html and "Dit formulier is niet meer geldig" in html
    assert db_session.exec(select(Measurement)).all() == []


def test_a_csv_over_the_size_limit_is_refused_in_words(client, anna, app, monkeypatch):
    from pgo.measurements import csv_store

    monkeypatch.setattr(csv_store, "MAX_UPLOAD_BYTES", 100)
    response = upload(client, CSV * 3)
    assert response.status_code == 400
    assert "Dit bestand is te groot." in response.get_data(as_text=True)
    assert list((Path(app.instance_path) / "csv-uploads").glob("*.json")) == []
