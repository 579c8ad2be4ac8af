"""Whatever bytes or JSON arrive, the reader either imports FHIR or refuses the file cleanly."""

from __future__ import annotations

import json
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records_helpers import add_user, row_counts

from pgo.records.importing import import_paths

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
not_resources = json_values.filter(lambda v: not (isinstance(v, dict) and isinstance(v.get("resourceType"), str)))

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _import_once(session, tmp_path, name: str, content: bytes):
    user_id = add_user(session, f"p-{uuid.uuid4().hex}@example.nl")
    path = tmp_path / name
    path.write_bytes(content)
    before = row_counts(session)
    report = import_paths(session=session, user_id=user_id, paths=[path])
    return report, before, row_counts(session)


@SETTINGS
@given(content=st.binary(max_size=300))
def test_random_bytes_are_refused_cleanly(session, tmp_path, content):
    report, before, after = _import_once(session, tmp_path, "random.json", content)
    assert [r.file for r in report.refused] == ["random.json"]
    assert "random.json" in report.refused[0].error
    assert after == before


@SETTINGS
@given(value=not_resources)
def test_json_that_is_not_a_resource_is_refused_cleanly(session, tmp_path, value):
    report, before, after = _import_once(session, tmp_path, "value.json", json.dumps(value).encode())
    assert len(report.refused) == 1 and after == before


@SETTINGS
@given(extra=st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=5))
def test_resources_with_odd_elements_import_or_are_refused_without_a_crash(session, tmp_path, extra):
    resource = {**extra, "resourceType": "Observation", "status": "final"}
    report, before, after = _import_once(session, tmp_path, "obs.json", json.dumps(resource).encode())
    if report.refused:
        assert after == before
    else:
        assert after["record_resource"] == before["record_resource"] + 1
