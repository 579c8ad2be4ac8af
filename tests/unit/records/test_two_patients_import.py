"""Two patients, same content (#23, 2026-12-03): each import is the patient's own.

The de-duplication of an import looks for earlier copies of a resource; it must look only in the importing
patient's own record. Were it blind to the patient, B's import of a file A imported before would be counted
as "duplicates" and B's record would stay empty (or be linked to A's rows).
"""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records_helpers import add_user
from sqlalchemy import func
from sqlmodel import select

from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry, RecordLink, RecordResource

LOINC = ("2947-0", "2823-3", "2160-0", "718-7", "4548-4", "2345-7")

observations = st.builds(
    lambda code, value, day: {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "effectiveDateTime": f"2021-06-{day:02d}",
        "valueQuantity": {"value": value, "unit": "mmol/l"},
    },
    st.sampled_from(LOINC),
    st.integers(min_value=1, max_value=500),
    st.integers(min_value=1, max_value=28),
)
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
OTHER = {
    "resourceType": "AllergyIntolerance",
    "code": {"text": "pinda"},
    "patient": {"reference": "Patient/x"},
}


def _rows(session, model, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(model).where(model.user_id == user_id)).one()


def _two_patients(session, b_has_data: bool) -> tuple[int, int]:
    a = add_user(session, f"a-{uuid.uuid4().hex}@example.nl")
    b = add_user(session, f"b-{uuid.uuid4().hex}@example.nl")
    if b_has_data:  # with data of B's own, the duplicate lookup runs against the database
        import_resources(session=session, user_id=b, resources=[OTHER], source="Eigen")
    return a, b


@SETTINGS
@given(resources=st.lists(observations, min_size=1, max_size=6), b_has_data=st.booleans())
def test_two_patients_importing_the_same_content_each_get_their_own_records(session, resources, b_has_data):
    a, b = _two_patients(session, b_has_data)
    before_b = (_rows(session, RecordResource, b), _rows(session, RecordEntry, b))
    first = import_resources(session=session, user_id=a, resources=resources, source="Huisarts")
    second = import_resources(session=session, user_id=b, resources=resources, source="Huisarts")
    assert first.refused == [] and second.refused == []
    assert second.imported == first.imported >= 1
    assert second.duplicates == first.duplicates  # duplicates within the file only, never A's copies
    assert _rows(session, RecordResource, b) - before_b[0] == _rows(session, RecordResource, a)
    assert _rows(session, RecordEntry, b) - before_b[1] == _rows(session, RecordEntry, a) >= 1
    # each patient's entries are linked to that patient's own resources only
    links = session.exec(
        select(RecordEntry.user_id, RecordResource.user_id)
        .join(RecordLink, RecordLink.entry_id == RecordEntry.id)
        .join(RecordResource, RecordResource.id == RecordLink.resource_id)
        .where(RecordEntry.user_id.in_((a, b)))
    ).all()
    assert links and all(entry_owner == resource_owner for entry_owner, resource_owner in links)


def test_the_same_patient_importing_again_stores_nothing_new(session):
    """Control for the test above: de-duplication does work within one patient's record."""
    a, _b = _two_patients(session, b_has_data=True)
    resources = [
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "2947-0"}]},
            "effectiveDateTime": "2021-06-12",
            "valueQuantity": {"value": 138, "unit": "mmol/l"},
        }
    ]
    import_resources(session=session, user_id=a, resources=resources, source="Huisarts")
    again = import_resources(session=session, user_id=a, resources=resources, source="Huisarts")
    assert (again.imported, again.duplicates) == (0, 1)
    assert _rows(session, RecordEntry, a) == 1
