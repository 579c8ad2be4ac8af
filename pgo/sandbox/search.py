"""The sandbox answers the MedMij query sets and nothing else, like a MedMij server (#20, 2026-12-03).

``check`` refuses a search the patient's FHIR version does not define (the caller answers 400 with an
OperationOutcome); ``run`` filters the patient's resources by the search's tokens (``category``, ``code``,
``class``, ``type``, ``status``), keeps the newest per code for ``$lastn`` and adds the ``_include``d resources.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pgo.providers.queries import defined_signatures

# Paging and format parameters every search may carry; the patient comes from the token.
GENERAL = frozenset({"_count", "_offset", "_format", "patient"})
TOKEN_PARAMS = {"category": "category", "code": "code", "class": "class", "type": "type", "status": "status"}
# _include "Type:param": the element holding the reference.
INCLUDE_ELEMENTS = {
    ("Patient", "general-practitioner"): "generalPractitioner",
    ("Coverage", "payor"): "payor",
    ("Observation", "specimen"): "specimen",
    ("Observation", "related-target"): "related.target",
    ("Observation", "derived-from"): "derivedFrom",
    ("MedicationRequest", "medication"): "medicationReference",
    ("MedicationDispense", "medication"): "medicationReference",
    ("MedicationStatement", "medication"): "medicationReference",
    ("DeviceUseStatement", "device"): "device",
    ("DeviceRequest", "device"): "codeReference",
}


def check(version: str, path: str, args: Iterable[tuple[str, str]]) -> str | None:
    """None when the search is one MedMij defines for this version, else why not (for the OperationOutcome)."""
    params = tuple(sorted((key, value) for key, value in args if key not in GENERAL))
    if (path, params) in defined_signatures(version):
        return None
    return f"The search {path} with these parameters is not part of a MedMij query set for FHIR {version}."


def run(
    resources: tuple[dict[str, Any], ...], resource_type: str, operation: str, args: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The resources of the patient that match the search."""
    matches = [r for r in resources if r["resourceType"] == resource_type]
    for key, value in args:
        if key in TOKEN_PARAMS:
            matches = [r for r in matches if _token_matches(r.get(TOKEN_PARAMS[key]), value)]
    if operation == "$lastn":
        matches = _lastn(matches)
    return matches


def included(
    resources: tuple[dict[str, Any], ...], matches: list[dict[str, Any]], args: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """What the ``_include`` parameters add to these matches (each once, none that is a match itself)."""
    found: list[dict[str, Any]] = []
    by_reference = {f"{r['resourceType']}/{r.get('id')}": r for r in resources}
    for key, value in args:
        if key.startswith("_include"):
            source_type, _sep, rest = value.partition(":")
            element = INCLUDE_ELEMENTS.get((source_type, rest.split(":")[0]))
            for match in matches if element else ():
                for reference in _references(match, element):
                    target = by_reference.get(reference)
                    if target is not None and target not in found and target not in matches:
                        found.append(target)
    return found


def _codings(value: Any) -> list[tuple[str, str]]:
    """(system, code) pairs in a code, Coding, CodeableConcept or a list of them."""
    if isinstance(value, str):
        return [("", value)]
    if isinstance(value, list):
        return [pair for item in value for pair in _codings(item)]
    if isinstance(value, dict):
        if "coding" in value:
            return _codings(value["coding"])
        if "code" in value:
            return [(str(value.get("system") or ""), str(value["code"]))]
    return []


def _token_matches(value: Any, wanted: str) -> bool:
    """A FHIR token search: ``code``, ``system|code`` or ``system|`` (any code of the system); commas mean or."""
    found = _codings(value)
    for token in wanted.split(","):
        system, bar, code = token.rpartition("|")
        for found_system, found_code in found:
            if not bar and found_code == code:
                return True
            if bar and found_system == system and (code == "" or found_code == code):
                return True
    return False


def _moment(resource: dict[str, Any]) -> str:
    period = resource.get("effectivePeriod") or {}
    return str(resource.get("effectiveDateTime") or period.get("start") or resource.get("issued") or "")


def _lastn(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest observation per code (``$lastn`` with max=1, the default)."""
    newest: dict[tuple, dict[str, Any]] = {}
    for resource in matches:
        key = tuple(sorted(_codings(resource.get("code"))))
        if key not in newest or _moment(resource) > _moment(newest[key]):
            newest[key] = resource
    return [r for r in matches if any(r is kept for kept in newest.values())]


def _references(resource: dict[str, Any], element: str) -> list[str]:
    values: list[Any] = [resource]
    for part in element.split("."):
        step: list[Any] = []
        for value in values:
            found = value.get(part) if isinstance(value, dict) else None
            step.extend(found if isinstance(found, list) else [found] if found is not None else [])
        values = step
    return [str(v["reference"]) for v in values if isinstance(v, dict) and isinstance(v.get("reference"), str)]
