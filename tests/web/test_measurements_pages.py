"""Measurement pages through the test client: roles, consent, validation, units, double submission, htmx."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from pgo.accounts import consent, teams
from pgo.accounts.models import AccessLogEntry
from pgo.clock import utcnow
from pgo.measurements.localtime import LOCAL_ZONE
from pgo.measurements.models import Measurement, MeasurementPlan, ThresholdRule
from pgo.measurements.plans import create_plan

NOW = utcnow().astimezone(LOCAL_ZONE)


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
