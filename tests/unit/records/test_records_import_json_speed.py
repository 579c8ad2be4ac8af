"""The importer's fast JSON path (orjson) stores exactly the text and hash the plain ``json`` path does."""

import hashlib
import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pgo.records.fhir_files import Entry, _loads
from pgo.records.importing import _stored_text, canonical_json

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e-7, 1.5e-5, 0.00001, 2e-9, 1e-4, 1e16, 1e22, -3.2e-6])
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_fast_and_plain_paths_store_the_same_text_and_hash(body):
    resource = {**body, "resourceType": "Observation"}
    if "\\u0000" in canonical_json(resource):
        return  # refused either way (see test_records_json_limits)
    parsed, plain = _loads(json.dumps(resource).encode())
    assume(plain)  # orjson read it (text with a run of 20 digits, even inside a string, goes to json instead)
    text, digest = _stored_text("f.json", Entry(parsed, plain_json=True))
    expected = canonical_json(parsed)
    assert text == expected
    assert digest == hashlib.sha256(expected.encode()).hexdigest()


def test_what_orjson_refuses_is_read_by_json_and_refused_the_same_way():
    assert _loads(b'{"a": 123456789012345678901234567890}') == ({"a": 123456789012345678901234567890}, False)
    assert _loads(b'{"a": 1.5}') == ({"a": 1.5}, True)


@pytest.mark.parametrize(
    "body",
    [
        {"a": 1e-7},
        {"a": [1e-7]},
        {"a": [2, -2.5e-6, 3]},
        {"a": {"b": 1.5e-5}},
        {"a": 0.00001},
        {"a": -0.00002},
        {"a": 1e-4, "b": 0.0001},
        {"id": "3fe-4b", "text": "1e-7, 0.00001"},  # in strings the spelling is the text's own
        {"a": 1e16, "b": 1e22, "c": 1.5e300},
    ],
)
def test_numbers_that_orjson_and_json_write_differently_are_stored_as_json_writes_them(body):
    resource = {**body, "resourceType": "Observation"}
    parsed, plain = _loads(json.dumps(resource).encode())
    assert plain
    text, digest = _stored_text("f.json", Entry(parsed, plain_json=True))
    assert text == canonical_json(parsed)
    assert digest == hashlib.sha256(text.encode()).hexdigest()
