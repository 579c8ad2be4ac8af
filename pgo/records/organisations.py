"""Sources by name (#16, 2026-12-03): the care provider or organisation a record came from, read from the resource
(performer, requester, recorder, author, custodian, service provider), so that a page names "Huisartsenpraktijk De
Linde" rather than the file it was imported from (the file name stays under "all details"). No Flask."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Per resource type, the fields that say who made or gave the record, most telling first.
FIELDS = {
    "Observation": ("performer",),
    "DiagnosticReport": ("performer", "resultsInterpreter"),
    "MedicationRequest": ("requester", "recorder"),
    "MedicationDispense": ("performer",),
    "MedicationStatement": ("informationSource",),
    "MedicationAdministration": ("performer",),
    "Condition": ("asserter", "recorder"),
    "AllergyIntolerance": ("asserter", "recorder"),
    "Immunization": ("performer",),
    "Procedure": ("performer", "recorder"),
    "Encounter": ("serviceProvider",),
    "DocumentReference": ("custodian", "author"),
}


def _references(value: Any) -> list[dict]:
    """The references in a field: a reference, a list of them, or performer-like wrappers ({"actor": ...})."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, dict):
            found.append(item.get("actor") if isinstance(item.get("actor"), dict) else item)
    return found


def _name_of(reference: dict, resolve: Callable[[dict, Any], dict | None] | None, resource: dict) -> str:
    target = resolve(resource, reference) if resolve and reference.get("reference") else None
    if isinstance(target, dict):
        if target.get("resourceType") == "Organization" and target.get("name"):
            return str(target["name"])
        if target.get("resourceType") == "PractitionerRole" and isinstance(target.get("organization"), dict):
            return _name_of(target["organization"], resolve, resource)
        return ""
    text = str(reference.get("reference") or "")
    if reference.get("display") and (reference.get("type") == "Organization" or text.startswith("Organization/")):
        return str(reference["display"])
    return ""


def organisation(resource: dict, resolve: Callable[[dict, Any], dict | None] | None = None) -> str:
    """The name of the organisation the resource came from, or ''."""
    for field in FIELDS.get(str(resource.get("resourceType")), ()):
        for reference in _references(resource.get(field)):
            if isinstance(reference, dict) and (name := _name_of(reference, resolve, resource)):
                return " ".join(name.split())[:200]
    return ""
