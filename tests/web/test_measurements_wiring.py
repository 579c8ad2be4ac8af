"""Imported vital signs land in the measurement history; the export carries entered measurements."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from pgo.config import fixtures_dir
from pgo.measurements.history import measurement_history
from pgo.measurements.models import Measurement, Source
from pgo.records.export import export_bundle
from pgo.records.importing import import_paths


def test_an_imported_blood_pressure_appears_in_the_history(app, make_user, db_session):
    anna = make_user("anna@example.nl")
    path = fixtures_dir() / "nictiz-r4-zib2020" / "nl-core-BloodPressure-01.xml"
    import_paths(session=db_session, user_id=anna.id, paths=[path])
    import_paths(session=db_session, user_id=anna.id, paths=[path])  # again: stored once
    db_session.commit()
    [measurement] = db_session.exec(select(Measurement).where(Measurement.user_id == anna.id)).all()
    assert measurement.source == Source.IMPORTED
    history = measurement_history(session=db_session, user_id=anna.id, type="blood_pressure", period="year",
                                  today=date(2013, 2, 8))  # fmt: skip
    assert [row.value for row in history.rows] == ["125/75 mmHg"]
    assert history.rows[0].source == "Van uw zorgverlener"
    exported = export_bundle(session=db_session, user_id=anna.id)
    codes = [e["resource"].get("code", {}).get("coding", [{}])[0].get("code") for e in exported["entry"]]
    assert codes.count("85354-9") == 1  # the imported record, not a second copy from the measurements


def test_the_export_holds_entered_measurements_as_observations(app, make_user, db_session):
    anna = make_user("anna@example.nl")
    db_session.add(Measurement(user_id=anna.id, type="body_weight", values={"value": 72.5}, unit="kg",
                               measured_at=datetime(2025, 3, 10, 7, tzinfo=UTC), idempotency_token="w"))  # fmt: skip
    db_session.commit()
    bundle = export_bundle(session=db_session, user_id=anna.id)
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert any(o["valueQuantity"]["value"] == 72.5 and o["code"]["coding"][0]["code"] == "29463-7"
               for o in observations)  # fmt: skip
