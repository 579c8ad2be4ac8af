"""Which FHIR version a resource shows: by resource type, profile, and elements that only one version has."""

from __future__ import annotations

from pgo.records import versions


def test_an_element_only_one_version_has_tells():
    assert versions.detect_version({"resourceType": "Observation", "encounter": {}}) == versions.R4
    assert versions.detect_version({"resourceType": "Observation", "context": {}}) == versions.STU3
    assert versions.detect_version({"resourceType": "Observation", "status": "final"}) is None


def test_of_two_such_elements_the_first_in_the_resource_tells():
    first_r4 = {"resourceType": "Observation", "encounter": {}, "context": {}}
    first_stu3 = {"resourceType": "Observation", "context": {}, "encounter": {}}
    assert versions.detect_version(first_r4) == versions.R4
    assert versions.detect_version(first_stu3) == versions.STU3


def test_a_plain_code_where_r4_has_a_concept_is_stu3():
    assert versions.detect_version({"resourceType": "Condition", "clinicalStatus": "active"}) == versions.STU3
    assert versions.detect_version({"resourceType": "Condition", "clinicalStatus": {"text": "x"}}) is None
