"""How a Bundle's entries become resources: fullUrls, nested Bundles, entries without data, odd entries."""

from __future__ import annotations

import json

import pytest

from pgo.i18n import use_locale
from pgo.records.fhir_files import RefusedFile, read_source


def _read(tmp_path, entries: list) -> list[tuple[str, str]]:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    return [(entry.resource.get("id"), entry.full_url) for entry in read_source(path)]


def test_entries_keep_their_full_url_and_nested_bundles_their_own(tmp_path):
    nested = {
        "resourceType": "Bundle",
        "id": "inner",
        "entry": [
            {"fullUrl": "urn:uuid:c", "resource": {"resourceType": "Condition", "id": "c"}},
            {"resource": {"resourceType": "Procedure", "id": "d"}},
        ],
    }
    found = _read(
        tmp_path,
        [
            {"fullUrl": "urn:uuid:a", "resource": {"resourceType": "Patient", "id": "a"}},
            {"fullUrl": 42, "resource": {"resourceType": "Observation", "id": "b"}},  # not a string: no url
            {"request": {"method": "DELETE", "url": "Observation/x"}},  # no data: nothing to keep
            {"fullUrl": "urn:uuid:outer", "resource": nested},
            {"resource": {"resourceType": None, "id": "n"}},  # read as type "None", as before
        ],
    )
    assert found == [
        ("a", "urn:uuid:a"),
        ("b", ""),
        ("c", "urn:uuid:c"),
        ("d", "urn:uuid:outer"),  # an entry of a nested Bundle without its own fullUrl takes the outer one
        ("n", ""),
    ]


@pytest.mark.parametrize(
    "resource",
    [{"id": "x"}, {"resourceType": "observation"}, {"resourceType": ""}, "Patient", ["Patient"]],
)
def test_an_entry_that_is_no_resource_refuses_the_file(tmp_path, resource):
    with use_locale("en"), pytest.raises(RefusedFile, match="not a FHIR resource"):
        _read(tmp_path, [{"resource": {"resourceType": "Patient", "id": "a"}}, {"resource": resource}])


def test_ndjson_lines_may_hold_bundles_and_each_resource_keeps_its_version(tmp_path):
    lines = [
        {"resourceType": "Patient", "id": "a"},
        {"resourceType": "Bundle", "entry": [{"fullUrl": "urn:uuid:b", "resource": {"resourceType": "Encounter",
                                                                                    "id": "b"}}]},
        {"resourceType": "Condition", "id": "c", "assertedDate": "2019"},  # STU3 shows; later lines take it
        {"resourceType": None, "id": "n"},
    ]  # fmt: skip
    path = tmp_path / "lines.ndjson"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    found = [(e.resource.get("id"), e.full_url, e.version, e.plain_json) for e in read_source(path)]
    assert found == [("a", "", "R4", True), ("b", "urn:uuid:b", "R4", True), ("c", "", "STU3", True),
                     ("n", "", "STU3", True)]  # fmt: skip
    path.write_text(json.dumps(lines[0]) + "\n" + json.dumps({"resourceType": "patient"}) + "\n")
    with use_locale("en"), pytest.raises(RefusedFile, match="not a FHIR resource"):
        list(read_source(path))
