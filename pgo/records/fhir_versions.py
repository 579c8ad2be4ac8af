"""Which FHIR version a resource is written in: R4 (zib2020, Synthea, plain R4) or STU3 (zib2017, MedMij).

The profile tells first (Nictiz ``zib-*`` profiles are STU3/zib2017, ``nl-core-*`` under nictiz.nl are
R4/zib2020), then elements that exist in only one version. DSTU2 and R5-only content is recognised so that it can
be refused with a clear message instead of being misread.
"""

from __future__ import annotations

from typing import Any

R4 = "R4"
STU3 = "STU3"
DSTU2 = "DSTU2"
R5 = "R5"
SUPPORTED = (R4, STU3)

# Resource types that exist only in DSTU2 or only in R5 (renamed or new).
_DSTU2_TYPES = frozenset({"MedicationOrder", "DiagnosticOrder", "DeviceUseRequest", "Order", "OrderResponse"})
_R5_TYPES = frozenset(
    {
        "ActorDefinition",
        "ArtifactAssessment",
        "BiologicallyDerivedProductDispense",
        "ConditionDefinition",
        "DeviceDispense",
        "DeviceUsage",
        "EncounterHistory",
        "FormularyItem",
        "GenomicStudy",
        "ImagingSelection",
        "InventoryItem",
        "InventoryReport",
        "NutritionIntake",
        "Permission",
        "RequestOrchestration",
        "Requirements",
        "TestPlan",
        "Transport",
    }
)

# Nictiz STU3 profiles outside the zib-* family (vital signs, the MHD document profile used by MedMij).
_NICTIZ_STU3_NAMES = ("vitalsign-", "IHE.MHD.")

# (resource type, element) pairs that only one version has.
_ELEMENT_MARKERS: dict[tuple[str, str], str] = {
    ("Observation", "comments"): DSTU2,
    ("Condition", "patient"): DSTU2,
    ("AllergyIntolerance", "substance"): DSTU2,
    ("Immunization", "wasNotGiven"): DSTU2,
    ("MedicationStatement", "patient"): DSTU2,
    ("Procedure", "notPerformed"): DSTU2,
    ("Encounter", "patient"): DSTU2,
    ("Observation", "context"): STU3,
    ("Immunization", "notGiven"): STU3,
    ("Immunization", "date"): STU3,
    ("Procedure", "notDone"): STU3,
    ("MedicationStatement", "taken"): STU3,
    ("MedicationStatement", "context"): STU3,
    ("MedicationRequest", "context"): STU3,
    ("DocumentReference", "indexed"): STU3,
    ("Condition", "assertedDate"): STU3,
    ("Binary", "content"): STU3,
    ("Immunization", "occurrenceDateTime"): R4,
    ("Procedure", "performedDateTime"): R4,
    ("Condition", "recordedDate"): R4,
    ("Observation", "encounter"): R4,
    ("MedicationStatement", "medication"): R5,
    ("MedicationRequest", "medication"): R5,
    ("Procedure", "occurrenceDateTime"): R5,
    ("Procedure", "occurrencePeriod"): R5,
    ("AllergyIntolerance", "participant"): R5,
    ("Encounter", "actualPeriod"): R5,
    ("Observation", "instantiatesCanonical"): R5,
}

# Elements whose JSON shape differs: a plain code in STU3/DSTU2, a CodeableConcept in R4.
_CODE_OR_CONCEPT = (
    ("AllergyIntolerance", "clinicalStatus"),
    ("AllergyIntolerance", "verificationStatus"),
    ("Condition", "clinicalStatus"),
    ("Condition", "verificationStatus"),
)

# The two tables above by resource type: every imported resource is checked against them, and most hold none of
# these elements (one set intersection then answers, instead of a look-up per element of the resource).
_MARKERS_BY_TYPE: dict[str, dict[str, str]] = {}
for (_type, _element), _version in _ELEMENT_MARKERS.items():
    _MARKERS_BY_TYPE.setdefault(_type, {})[_element] = _version
_CODE_OR_CONCEPT_BY_TYPE: dict[str, tuple[str, ...]] = {}
for _type, _element in _CODE_OR_CONCEPT:
    _CODE_OR_CONCEPT_BY_TYPE[_type] = (*_CODE_OR_CONCEPT_BY_TYPE.get(_type, ()), _element)


def profiles(resource: dict[str, Any]) -> list[str]:
    meta = resource.get("meta")
    found = meta.get("profile") if isinstance(meta, dict) else None
    if isinstance(found, str):
        return [found]
    return [p for p in found if isinstance(p, str)] if isinstance(found, list) else []


def _from_profiles(resource: dict[str, Any]) -> str | None:
    for profile in profiles(resource):
        name = profile.rsplit("/", 1)[-1]
        if "nictiz.nl/fhir/StructureDefinition/zib-" in profile or "fhir.nl/fhir/StructureDefinition/" in profile:
            return STU3
        if "nictiz.nl/fhir/StructureDefinition/" in profile and name.startswith(_NICTIZ_STU3_NAMES):
            return STU3
        if "nictiz.nl/fhir/StructureDefinition/" in profile and (name.startswith(("nl-core-", "pattern-", "ext-"))):
            return R4
        if "|3.0" in profile:
            return STU3
        if "|4.0" in profile:
            return R4
        if "|5.0" in profile:
            return R5
    return None


def detect_version(resource: dict[str, Any]) -> str | None:
    """The FHIR version this resource shows, or None when nothing tells (most plain resources)."""
    resource_type = resource.get("resourceType")
    if resource_type in _DSTU2_TYPES:
        return DSTU2
    if resource_type in _R5_TYPES:
        return R5
    by_profile = _from_profiles(resource)
    if by_profile:
        return by_profile
    marker = _marker(resource, _MARKERS_BY_TYPE.get(resource_type))  # type: ignore[arg-type]
    if marker:
        return marker
    for element in _CODE_OR_CONCEPT_BY_TYPE.get(resource_type, ()):  # type: ignore[arg-type]
        if isinstance(resource.get(element), str):
            return STU3
    if resource_type == "Encounter" and isinstance(resource.get("class"), list):
        return R5
    return None


def _marker(resource: dict[str, Any], markers: dict[str, str] | None) -> str | None:
    """The version of the first element of ``resource`` (in its order) that only one version has."""
    if not markers:
        return None
    for key in resource:  # a resource has a dozen elements: a look-up each, no set made
        if key in markers:
            return markers[key]
    return None
