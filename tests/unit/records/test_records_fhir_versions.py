"""Which FHIR version a resource shows: by resource type, profile, and elements that only one version has."""

from __future__ import annotations

from pgo.records import fhir_versions


def test_an_element_only_one_version_has_tells():
    assert fhir_versions.detect_version({"resourceType": "Observation", "encounter": {}}) == fhir_versions.R4
    assert fhir_versions.detect_version({"resourceType": "Observation", "context": {}}) == fhir_versions.STU3
    assert fhir_versions.detect_version({"resourceType": "Observation", "status": "final"}) is None


def test_of_two_such_elements_the_first_in_the_resource_tells():
    first_r4 = {"resourceType": "Observation", "encounter": {}, "context": {}}
    first_stu3 = {"resourceType": "Observation", "context": {}, "encounter": {}}
    assert fhir_versions.detect_version(first_r4) == fhir_versions.R4
    assert fhir_versions.detect_version(first_stu3) == fhir_versions.STU3


def test_a_plain_code_where_r4_has_a_concept_is_stu3():
    assert fhir_versions.detect_version({"resourceType": "Condition", "clinicalStatus": "active"}) == fhir_versions.STU3
    assert fhir_versions.detect_version({"resourceType": "Condition", "clinicalStatus": {"text": "x"}}) is None
