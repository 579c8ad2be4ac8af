"""A lab value's status at the ends of its reference range (#23, 2026-12-03): a value equal to a limit is
inside the range (FHIR referenceRange low and high are inclusive); one step beyond it is high or low."""

from __future__ import annotations

import pytest
from records_helpers import add_user
from sqlmodel import select

from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry


def _sodium(value: float) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2951-2"}]},
        "effectiveDateTime": "2021-06-12",
        "valueQuantity": {"value": value, "unit": "mmol/l"},
        "referenceRange": [{"low": {"value": 135, "unit": "mmol/l"}, "high": {"value": 145, "unit": "mmol/l"}}],
    }


@pytest.mark.parametrize(
    ("value", "flag"),
    [(134.9, "low"), (135, ""), (135.1, ""), (144.9, ""), (145, ""), (145.1, "high")],
)
def test_lab_flag_at_the_reference_limits(session, value, flag):
    user_id = add_user(session)
    report = import_resources(session=session, user_id=user_id, resources=[_sodium(value)], source="Lab")
    assert report.imported == 1
    entry = session.exec(select(RecordEntry).where(RecordEntry.user_id == user_id)).one()
    assert (entry.value_num, entry.flag) == (value, flag)
