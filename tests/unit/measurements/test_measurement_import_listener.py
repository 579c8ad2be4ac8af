"""The import listener stores vital signs in bulk: the same rows, severities and flags as storing them one by one,
with a person's limits looked up for all days at once."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pgo.accounts.models import Role, User
from pgo.measurements.fhir import measurement_from_observation, store_imported_measurement
from pgo.measurements.importing import store_imported_vital_signs
from pgo.measurements.models import Measurement, MeasurementPlan, Severity, ThresholdRule
from pgo.measurements.thresholds import advice_for, assess, personal_rules, personal_rules_by_day
from pgo.records import importing
from pgo.records.importing import import_paths

LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FIRST_DAY = date(2025, 2, 27)
DAYS = [FIRST_DAY + timedelta(days=n) for n in range(14)]


@pytest.fixture
def listening(monkeypatch):
    """The listener as the feature manifest (pgo.features) names it, and only that one."""
    monkeypatch.setattr(importing, "_listeners", lambda: [store_imported_vital_signs])


def _user(session, email: str, role: str = Role.PATIENT) -> User:
    user = User(email=email, name=email.split("@")[0], role=role)
    session.add(user)
    session.flush()
    return user


def _limits(session, patient: User, clinician: User, stranger: User) -> None:
    """Limits that change over the days: a heart-rate plan for 1-5 March, a weight plan from 4 March, a rule
    without plan, and rules that must never count (another person's plan and another person's rule)."""
    heart = MeasurementPlan(user_id=patient.id, clinician_id=clinician.id, type="heart_rate",
                            start_date=date(2025, 3, 1), end_date=date(2025, 3, 5))  # fmt: skip
    weight = MeasurementPlan(user_id=patient.id, clinician_id=clinician.id, type="body_weight",
                             start_date=date(2025, 3, 4), end_date=date(2025, 3, 31))  # fmt: skip
    theirs = MeasurementPlan(user_id=stranger.id, clinician_id=clinician.id, type="heart_rate",
                             start_date=date(2020, 1, 1), end_date=date(2030, 1, 1))  # fmt: skip
    session.add_all([heart, weight, theirs])
    session.flush()
    session.add_all(
        [
            ThresholdRule(user_id=patient.id, plan_id=heart.id, type="heart_rate", limit_value=80,
                          severity=Severity.CALL_TODAY, advice={"nl": {"standard": "Bel vandaag."}}),
            ThresholdRule(user_id=patient.id, plan_id=heart.id, type="heart_rate", direction="below",
                          limit_value=55, severity=Severity.INFO),
            ThresholdRule(user_id=patient.id, plan_id=None, type="heart_rate", limit_value=100,
                          severity=Severity.CONTACT_PRACTICE),
            ThresholdRule(user_id=patient.id, plan_id=weight.id, type="body_weight", limit_value=90,
                          severity=Severity.EMERGENCY),
            ThresholdRule(user_id=patient.id, plan_id=theirs.id, type="blood_glucose", limit_value=1,
                          severity=Severity.EMERGENCY),
            ThresholdRule(user_id=stranger.id, plan_id=theirs.id, type="heart_rate", limit_value=1,
                          severity=Severity.EMERGENCY),
        ]
    )  # fmt: skip
    session.flush()


def test_rules_for_many_days_are_the_rules_of_each_day(session):
    patient, clinician, stranger = (_user(session, e) for e in ("p@example.nl", "d@example.nl", "s@example.nl"))
    _limits(session, patient, clinician, stranger)
    keys = [(kind, day) for kind in ("heart_rate", "body_weight", "blood_glucose", "oxygen_saturation") for day in DAYS]
    by_day = personal_rules_by_day(session=session, user_id=patient.id, keys=keys)
    assert set(by_day) == set(keys)
    for kind, day in keys:
        one = personal_rules(session=session, user_id=patient.id, type=kind, today=day)
        assert sorted(rule.id for rule in by_day[(kind, day)]) == sorted(rule.id for rule in one), (kind, day)
    # the limits do change over these days, so the comparison above covers each case
    assert [len(by_day[("heart_rate", day)]) for day in DAYS] == [1, 1, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1]
    assert [len(by_day[("body_weight", day)]) for day in DAYS] == [0] * 5 + [1] * 9
    assert all(not by_day[("blood_glucose", day)] for day in DAYS)
    assert personal_rules_by_day(session=session, user_id=patient.id, keys=[]) == {}
    nobody = _user(session, "n@example.nl")  # no limits at all: the general rules, every day
    assert personal_rules_by_day(session=session, user_id=nobody.id, keys=keys) == {key: [] for key in keys}
    session.add(ThresholdRule(user_id=nobody.id, type="heart_rate", limit_value=99))  # not flushed yet: still seen
    found = personal_rules_by_day(session=session, user_id=nobody.id, keys=keys)
    assert {key: len(rules) for key, rules in found.items()} == {key: int(key[0] == "heart_rate") for key in keys}


HEART_80 = ThresholdRule(user_id=1, type="heart_rate", limit_value=80, severity=Severity.CALL_TODAY)
HEART_55 = ThresholdRule(user_id=1, type="heart_rate", direction="below", limit_value=55, severity=Severity.INFO)
SYSTOLIC_150 = ThresholdRule(
    user_id=1, type="blood_pressure", field_name="systolic", limit_value=150, severity=Severity.INFO
)
DIASTOLIC_95 = ThresholdRule(
    user_id=1, type="blood_pressure", field_name="diastolic", limit_value=95, severity=Severity.EMERGENCY
)
OK, INFO, CONTACT, CALL, EMERGENCY = ("ok", "info", "contact_practice", "call_today", "emergency")


# (#23, 2026-12-03) The expected severity and flag are chosen by hand, not taken from advice_for (which shares
# `crosses` with assess): a personal limit crossed is always for the team, a general one from "contact" up.
@pytest.mark.parametrize(
    ("kind", "values", "rules", "expected"),
    [
        ("heart_rate", {"value": 80}, [HEART_80, HEART_55], (CALL, True)),
        ("heart_rate", {"value": 79}, [HEART_80, HEART_55], (OK, False)),
        ("heart_rate", {"value": 54}, [HEART_80, HEART_55], (INFO, True)),
        ("heart_rate", {"value": 55}, [HEART_55], (OK, False)),
        ("heart_rate", {"value": 125}, [], (CONTACT, True)),
        ("heart_rate", {"value": 125}, [HEART_55], (OK, False)),  # personal limits replace the general ones
        ("blood_pressure", {"systolic": 150, "diastolic": 95}, [SYSTOLIC_150, DIASTOLIC_95], (EMERGENCY, True)),
        ("blood_pressure", {"systolic": 150, "diastolic": 94}, [SYSTOLIC_150, DIASTOLIC_95], (INFO, True)),
        ("blood_pressure", {"systolic": 149, "diastolic": 94}, [SYSTOLIC_150, DIASTOLIC_95], (OK, False)),
        ("blood_pressure", {"systolic": 185, "diastolic": 90}, [DIASTOLIC_95], (OK, False)),
        ("blood_pressure", {"systolic": 185, "diastolic": 90}, [], (CALL, True)),
        ("blood_pressure", {"systolic": 140, "diastolic": 80}, [], (INFO, False)),
        ("blood_pressure", {"systolic": 140, "diastolic": 80, "heart_rate": 39}, [], (CONTACT, True)),
        ("body_temperature", {"value": 38.5}, [], (INFO, False)),
        ("body_temperature", {"value": 34.5}, [], (CALL, True)),
        ("oxygen_saturation", {"value": 92}, [], (EMERGENCY, True)),
        ("blood_glucose", {"value": 3.5}, [], (CONTACT, True)),
        ("body_weight", {"value": 300}, [], (OK, False)),
    ],
)
def test_assess_gives_the_severity_and_flag_a_clinician_expects(kind, values, rules, expected):
    assert assess(values, rules, kind) == expected
    advice = advice_for(session=None, user_id=1, type=kind, values=values, today=FIRST_DAY, rules=rules)
    assert (advice.severity, advice.flag_for_team) == expected


def _observation(n: int, day: date, code: str, **value) -> dict:
    return {
        "resourceType": "Observation",
        "id": f"obs-{n}",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "vital-signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "effectiveDateTime": f"{day.isoformat()}T{7 + n % 15:02d}:30:00+01:00",
        **value,
    }


def _vital_signs() -> list[dict]:
    """Heart rates, weights (some in pounds), glucose (mg/dL, converted), blood pressure, across the days."""
    heart_rates = [105, 70, 52, 85, 105, 70, 38, 70, 130, 70, 52, 85, 70, 70]  # the plan runs on days 2 to 6
    resources = []
    for n, day in enumerate(DAYS):
        resources += [
            _observation(4 * n, day, "8867-4", valueQuantity={"value": heart_rates[n], "unit": "/min"}),
            _observation(4 * n + 1, day, "29463-7", valueQuantity={"value": 80 + 2 * n, "code": "kg"}),
            _observation(4 * n + 2, day, "2345-7", valueQuantity={"value": 40 + 25 * n, "code": "mg/dL"}),
            _observation(4 * n + 3, day, "85354-9", component=[
                {"code": {"coding": [{"system": LOINC, "code": "8480-6"}]},
                 "valueQuantity": {"value": 120 + 5 * n, "code": "mm[Hg]"}},
                {"code": {"coding": [{"system": LOINC, "code": "8462-4"}]},
                 "valueQuantity": {"value": 70 + 3 * n, "code": "mm[Hg]"}},
            ]),
        ]  # fmt: skip
    resources.append(_observation(99, DAYS[3], "29463-7", valueQuantity={"value": 200, "code": "[lb_av]"}))
    resources.append({**_observation(98, DAYS[3], "8867-4", valueQuantity={"value": 70}), "id": "obs-0"})  # same id
    resources.append({"resourceType": "Patient", "id": "p", "name": [{"family": "Jansen"}]})
    return resources


def _rows(session, user_id: int) -> list[tuple]:
    """Every stored column but the id, the person and the moment of storing."""
    table = Measurement.__table__
    columns = [c for c in table.c if c.name not in ("id", "user_id", "entered_at")]
    query = select(*columns).where(table.c.user_id == user_id).order_by(table.c.source_ref)
    return [tuple(row) for row in session.execute(query)]


def test_imported_vital_signs_are_stored_as_one_by_one(session, tmp_path, listening):
    clinician, stranger = _user(session, "d@example.nl", Role.CLINICIAN), _user(session, "s@example.nl")
    bulk, single = _user(session, "bulk@example.nl"), _user(session, "single@example.nl")
    for person in (bulk, single):
        _limits(session, person, clinician, stranger)
    resources = _vital_signs()
    path = tmp_path / "vitals.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in resources]}))  # fmt: skip

    report = import_paths(session=session, user_id=bulk.id, paths=[path])
    assert report.ok and report.imported == len(resources)
    for resource in resources:  # the way a single Observation is stored: ORM object, apply_advice, store_once
        if (mapped := measurement_from_observation(resource)) is not None:
            store_imported_measurement(session=session, user_id=single.id, mapped=mapped, origin=path.name)
    session.flush()

    stored = _rows(session, bulk.id)
    assert stored == _rows(session, single.id)
    assert len(stored) == 4 * len(DAYS) + 1  # the second obs-0 has the token of the first: stored once
    severities = {(row[0], row[-1], row[-2]) for row in stored}  # (type, severity, flagged)
    assert {("heart_rate", "call_today", True), ("heart_rate", "ok", False), ("heart_rate", "info", True),
            ("body_weight", "emergency", True), ("blood_glucose", "contact_practice", True),
            ("blood_pressure", "call_today", True), ("blood_pressure", "info", False)} <= severities  # fmt: skip
    entered = session.execute(
        select(Measurement.entered_at, Measurement.entered_values, Measurement.entered_unit).where(
            Measurement.user_id == bulk.id
        )
    ).all()
    assert all(at.tzinfo is not None and values == {} and unit == "" for at, values, unit in entered)

    again = import_paths(session=session, user_id=bulk.id, paths=[path])
    assert again.duplicates == len(resources)
    path.rename(tmp_path / "vitals-copy.json")  # the same resources from another source: known, nothing new
    assert import_paths(session=session, user_id=bulk.id, paths=[tmp_path / "vitals-copy.json"]).duplicates == len(
        resources
    )
    assert _rows(session, bulk.id) == stored


def test_a_refused_file_leaves_no_measurement_behind(session, tmp_path, listening, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 5)  # the listener runs for several batches before the bad line
    patient = _user(session, "p@example.nl")
    lines = [json.dumps(r) for r in _vital_signs()[:20]] + ["{not json"]
    path = tmp_path / "vitals.ndjson"
    path.write_text("\n".join(lines) + "\n")
    report = import_paths(session=session, user_id=patient.id, paths=[path])
    assert [r.file for r in report.refused] == ["vitals.ndjson"]
    assert session.execute(select(func.count()).select_from(Measurement)).scalar_one() == 0
    path.write_text("\n".join(lines[:-1]) + "\n")
    assert import_paths(session=session, user_id=patient.id, paths=[path]).ok
    assert session.execute(select(func.count()).select_from(Measurement)).scalar_one() == 20


def test_the_importers_shortcuts_give_what_they_stand_for():
    """The LOINC table and the remembered conversions answer as type_for_loinc and pint do."""
    from pgo.measurements import fhir
    from pgo.measurements.types import TYPES, type_for_loinc
    from pgo.measurements.units import convert

    for code in {code for mtype in TYPES.values() for code in mtype.loinc} | {"2947-0", ""}:
        assert fhir._type_of({"coding": [{"system": LOINC, "code": code}]}) == type_for_loinc(code)
    for value in (72.0, 72.0, 101.5, 1e-9, 0.0, -0.0, 350.0):  # twice 72: the second comes from memory
        for unit, target in (("mg/dL", "mmol/L"), ("[lb_av]", "kg"), ("[degF]", "Cel")):
            found = fhir._quantity_value({"value": value, "code": unit}, target)
            assert found == convert(value, unit, target)
            assert str(found) == str(convert(value, unit, target))  # -0.0 stays -0.0
