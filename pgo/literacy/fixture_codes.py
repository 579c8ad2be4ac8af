"""The codes that occur in FHIR files (JSON, NDJSON-free bundles, XML): what the catalogue must cover.

Reads Observation (and its components), Condition, Medication, MedicationStatement/MedicationRequest,
Immunization, AllergyIntolerance and Procedure codes from single resources, Bundles and contained resources.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # element types only; parsing goes through lxml without entities
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

FHIR_NS = "{http://hl7.org/fhir}"

# resource type -> the elements that hold its coded concept, and the category the catalogue falls back to
CODED_ELEMENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "Observation": (("code",), "lab"),
    "Condition": (("code",), "problem"),
    "Medication": (("code",), "medicine"),
    "MedicationStatement": (("medicationCodeableConcept",), "medicine"),
    "MedicationRequest": (("medicationCodeableConcept",), "medicine"),
    "Immunization": (("vaccineCode",), "vaccination"),
    "AllergyIntolerance": (("code",), "allergy"),
    "Procedure": (("code",), "procedure"),
}


@dataclass(frozen=True)
class FoundCode:
    system: str
    code: str
    display: str
    resource_type: str


def _codings_json(concept: object) -> Iterator[tuple[str, str, str]]:
    if isinstance(concept, dict):
        for coding in concept.get("coding", []) or []:
            if coding.get("system") and coding.get("code"):
                yield coding["system"], str(coding["code"]), coding.get("display", "")


def _walk_json(node: object) -> Iterator[FoundCode]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_json(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("resourceType")
    if kind in CODED_ELEMENTS:
        concepts = [node.get(name) for name in CODED_ELEMENTS[kind][0]]
        if kind == "Observation":
            concepts += [c.get("code") for c in node.get("component", []) or []]
        for concept in concepts:
            for system, code, display in _codings_json(concept):
                yield FoundCode(system, code, display, kind)
    for key in ("entry", "resource", "contained"):
        if key in node:
            yield from _walk_json(node[key])


def _attr(element: ET.Element, name: str) -> str:
    child = element.find(FHIR_NS + name)
    return child.get("value", "") if child is not None else ""


def _codings_xml(concept: ET.Element | None) -> Iterator[tuple[str, str, str]]:
    if concept is None:
        return
    for coding in concept.findall(FHIR_NS + "coding"):
        system, code = _attr(coding, "system"), _attr(coding, "code")
        if system and code:
            yield system, code, _attr(coding, "display")


def _walk_xml(element: ET.Element) -> Iterator[FoundCode]:
    if not isinstance(element.tag, str):  # comments and processing instructions
        return
    kind = element.tag.removeprefix(FHIR_NS)
    if kind in CODED_ELEMENTS:
        concepts = [element.find(FHIR_NS + name) for name in CODED_ELEMENTS[kind][0]]
        if kind == "Observation":
            concepts += [c.find(FHIR_NS + "code") for c in element.findall(FHIR_NS + "component")]
        for concept in concepts:
            for system, code, display in _codings_xml(concept):
                yield FoundCode(system, code, display, kind)
    for key in ("entry", "resource", "contained"):
        for child in element.findall(FHIR_NS + key):
            for grandchild in child if key != "entry" else [child]:
                yield from _walk_xml(grandchild)


def codes_in_file(path: Path) -> list[FoundCode]:
    if path.suffix == ".json":
        return list(_walk_json(json.loads(path.read_text(encoding="utf-8"))))
    if path.suffix == ".xml":
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return list(_walk_xml(etree.parse(str(path), parser).getroot()))
    return []


def codes_in_folder(folder: Path) -> list[FoundCode]:
    """Every coded concept in the folder's FHIR files, de-duplicated, in a stable order."""
    seen: dict[tuple[str, str], FoundCode] = {}
    for path in sorted(folder.rglob("*")):
        for found in codes_in_file(path):
            seen.setdefault((found.system, found.code), found)
    return list(seen.values())
