"""Medication: which MedMij building block a resource is (the dose in words is in ``pgo.records.dosage``)."""

from __future__ import annotations

from pgo.records.fhir_versions import profiles

_KIND_BY_PROFILE = (
    ("MedicationUse", "use"),
    ("MedicationAgreement", "agreement"),
    ("AdministrationAgreement", "administration_agreement"),
    ("DispenseToPatient", "dispense"),
    ("MedicationAdministration", "administration"),
)
_KIND_BY_TYPE = {
    "MedicationStatement": "use",
    "MedicationRequest": "agreement",
    "MedicationDispense": "dispense",
    "MedicationAdministration": "administration",
}


def medication_kind(resource: dict) -> str:
    """'use' (MedicationUse), 'agreement' (MedicationAgreement), 'administration_agreement', 'dispense' ..."""
    for profile in profiles(resource):
        for marker, kind in _KIND_BY_PROFILE:
            if marker.lower() in profile.lower():
                return kind
    return _KIND_BY_TYPE.get(str(resource.get("resourceType")), "use")
