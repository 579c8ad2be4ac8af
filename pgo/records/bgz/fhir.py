"""Small readers of FHIR data types shared by the section presenters (STU3 and R4 alike): plain dict access."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgo.i18n import current_locale
from pgo.records import codes
from pgo.records.dates import display_date, parse_fhir_date

Resolver = Any  # callable(container: dict, reference: Any) -> dict | None


def concept(value: Any) -> str:
    """The words of a CodeableConcept (or a list of them, joined), '' when there are none."""
    if isinstance(value, list):
        return ", ".join(t for t in (concept(v) for v in value) if t)
    return codes.concept_text(value) if isinstance(value, dict) else ""


def codings(value: Any) -> list[dict[str, str]]:
    """Every coding of a CodeableConcept or of a list of them."""
    if isinstance(value, list):
        return [c for v in value for c in codes.codings(v)]
    return codes.codings(value)


def has_code(value: Any, system: str, *wanted: str) -> bool:
    return any(c["system"] == system and c["code"] in wanted for c in codings(value))


def extensions(resource: dict, suffix: str, *, modifier: bool = False) -> list[dict]:
    """The extensions whose URL ends with ``suffix`` (STU3 'zib-X-Y' and R4 'ext-X.Y' are both asked for by the
    caller), from ``extension`` or ``modifierExtension``."""
    found = resource.get("modifierExtension" if modifier else "extension") or []
    return [e for e in found if isinstance(e, dict) and str(e.get("url", "")).endswith(suffix)]


def extension_text(resource: dict, *suffixes: str, modifier: bool = False) -> str:
    """The value of the first extension found, in words (string, CodeableConcept, Coding or Reference's display)."""
    for suffix in suffixes:
        for extension in extensions(resource, suffix, modifier=modifier):
            for name in ("valueString", "valueMarkdown"):
                if isinstance(extension.get(name), str) and extension[name].strip():
                    return extension[name].strip()
            if isinstance(extension.get("valueCodeableConcept"), dict):
                return concept(extension["valueCodeableConcept"])
            if isinstance(extension.get("valueCoding"), dict):
                return concept(extension["valueCoding"])
            if isinstance(extension.get("valueReference"), dict):
                return reference_text(extension["valueReference"])
    return ""


def reference_text(reference: Any, container: dict | None = None, resolve: Resolver | None = None) -> str:
    """What a Reference points to, in words: the resolved resource's name, else the reference's display."""
    if not isinstance(reference, dict):
        return ""
    if resolve is not None and container is not None and reference.get("reference"):
        target = resolve(container, reference)
        if isinstance(target, dict) and (name := resource_name(target)):
            return name
    return str(reference.get("display") or "").strip()


def human_name(value: Any) -> str:
    """A HumanName (or the first of a list) as people write it."""
    names = value if isinstance(value, list) else [value]
    for name in names:
        if not isinstance(name, dict):
            continue
        if isinstance(name.get("text"), str) and name["text"].strip():
            return name["text"].strip()
        given = " ".join(g for g in name.get("given") or [] if isinstance(g, str))
        prefix = " ".join(p for p in name.get("prefix") or [] if isinstance(p, str))
        family = str(name.get("family") or "")
        text = " ".join(p for p in (prefix, given, family) if p)
        if text:
            return text
    return ""


def resource_name(resource: dict) -> str:
    """The name of a person, organisation or device resource, else ''."""
    kind = resource.get("resourceType")
    if kind in ("Patient", "Practitioner", "RelatedPerson"):
        return human_name(resource.get("name"))
    if kind in ("Organization", "Location", "CareTeam", "HealthcareService"):
        return str(resource.get("name") or "").strip()
    if kind == "PractitionerRole":
        return reference_text(resource.get("practitioner")) or concept(resource.get("code"))
    if kind == "Device":
        return device_name(resource)
    if kind == "Condition":
        return concept(resource.get("code"))
    if kind == "Goal":
        return concept(resource.get("description"))
    return ""


def device_name(device: dict) -> str:
    names = device.get("deviceName") or []
    for name in names if isinstance(names, list) else []:
        if isinstance(name, dict) and name.get("name"):
            return str(name["name"])
    return concept(device.get("type")) or str(device.get("model") or "")


def period(value: Any) -> tuple[str, str]:
    """(start, end) of a Period, as FHIR date texts ('' when absent)."""
    if not isinstance(value, dict):
        return "", ""
    return str(value.get("start") or ""), str(value.get("end") or "")


def telecom(resource: dict) -> list[tuple[str, str]]:
    """(system, value) of each ContactPoint: ('phone', '030 123 45 67'), ('email', ...)."""
    found = []
    for point in resource.get("telecom") or []:
        if isinstance(point, dict) and point.get("value"):
            found.append((str(point.get("system") or ""), str(point["value"])))
    return found


def notes(resource: dict) -> list[str]:
    return [
        n["text"].strip() for n in resource.get("note") or [] if isinstance(n, dict) and str(n.get("text", "")).strip()
    ]


def as_list(value: Any) -> list:
    """STU3 often has one element where R4 has a list (Flag.category, RelatedPerson.relationship)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def moment(text: str) -> datetime | None:
    return parse_fhir_date(text)[0]


def display_end(text: str) -> str:
    """An end date as people read it, in the language of the request ('' when there is none)."""
    return display_date(text, current_locale()) if text else ""
