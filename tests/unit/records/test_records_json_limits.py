"""JSON that Python accepts but FHIR (and PostgreSQL) does not: NaN, Infinity, NUL characters."""

import json

import pytest
from sqlmodel import func, select

from pgo.accounts.service import create_user
from pgo.records.importing import import_paths, import_resources
from pgo.records.models import RecordEntry, RecordResource


@pytest.fixture
def patient(session):
    user = create_user(session=session, email="p@example.nl", password="lange-zin-123")
    session.commit()
    return user


def counts(session):
    return [session.exec(select(func.count()).select_from(t)).one() for t in (RecordResource, RecordEntry)]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_files_with_nan_or_infinity_are_refused(session, patient, tmp_path, constant):
    path = tmp_path / "odd.json"
    path.write_text('{"resourceType": "Observation", "status": "final", "valueQuantity": {"value": ' + constant + "}}")
    report = import_paths(session=session, user_id=patient.id, paths=[path])
    assert [r.file for r in report.refused] == ["odd.json"]
    assert counts(session) == [0, 0]


def test_resources_from_a_provider_with_infinity_or_nul_are_refused(session, patient):
    for resource in (
        {"resourceType": "Observation", "status": "final", "valueQuantity": {"value": float("inf")}},
        {"resourceType": "Observation", "status": "final", "code": {"text": "sugar\x00"}},
    ):
        report = import_resources(session=session, user_id=patient.id, resources=[resource], source="Provider")
        assert len(report.refused) == 1 and "Provider" in report.refused[0].error
    assert counts(session) == [0, 0]


def test_ndjson_line_with_nan_is_refused_by_line(session, patient, tmp_path):
    path = tmp_path / "bulk.ndjson"
    good = json.dumps({"resourceType": "Observation", "status": "final"})
    path.write_text(good + '\n{"resourceType": "Observation", "valueQuantity": {"value": NaN}}\n')
    report = import_paths(session=session, user_id=patient.id, paths=[path])
    assert "2" in report.refused[0].error
    assert counts(session) == [0, 0]
