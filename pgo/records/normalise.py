"""From a FHIR resource (R4 or STU3) to the normalised row a page shows.

Plain dict access only: this runs for every resource of an import and must stay fast. ``normalise`` returns None
for resource types that are kept but not shown as a record (Claim, Organization, Medication, Binary ...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pgo.records import codes
from pgo.records.dates import checked_fhir_date
from pgo.records.dosage import dose_parts
from pgo.records.medication import medication_kind
from pgo.records.medicines import treatment_facts
from pgo.records.organisations import organisation

Resolver = Callable[[dict, Any], dict | None]

CATEGORY_BY_TYPE = {
    "Patient": "patient",
    "Observation": "result",
    "DiagnosticReport": "report",
    "MedicationStatement": "medication",
    "MedicationRequest": "medication",
    "MedicationDispense": "medication",
    "MedicationAdministration": "medication",
    "AllergyIntolerance": "allergy",
    "Immunization": "vaccination",
    "Procedure": "procedure",
    "Encounter": "visit",
    "DocumentReference": "document",
    "Condition": "problem",
}
SHOWN_TYPES = frozenset(CATEGORY_BY_TYPE)


@dataclass(slots=True)  # made for every shown resource of an import: slots make it and its fields quicker
class Normalised:
    category: str
    resource_type: str
    title: str = ""
    status: str = ""
    effective_at: datetime | None = None
    effective_text: str = ""
    end_at: datetime | None = None
    value_text: str = ""
    value_num: float | None = None
    comparator: str = ""
    unit: str = ""
    ref_low: float | None = None
    ref_high: float | None = None
    ref_text: str = ""
    flag: str = ""
    is_current: bool = False
    code_key: str = ""
    codings: list[dict[str, str]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def dedup_key(self, content_hash: str) -> str:
        """The same fact from two sources (e.g. STU3 and R4 of one lab result) gets the same key."""
        moment = self.effective_at.isoformat() if self.effective_at else ""
        value = f"{self.comparator}{self.value_num!r}" if self.value_num is not None else self.value_text.lower()
        parts = [self.category, self.code_key or self.title.lower(), moment, value, self.unit.lower()]
        if self.category == "medication":
            parts.append(self.details.get("kind", ""))
        if self.category == "patient":
            parts.append(self.details.get("identifier", ""))
        if not (self.code_key or self.title) or not (moment or value or self.category == "patient"):
            parts.append(content_hash)  # too little to recognise the same fact elsewhere
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


_EMPTY = (None, "", [], {})  # never changed: compared with, not filled


def _first(resource: dict, *names: str) -> Any:
    for name in names:
        value = resource.get(name)
        if value not in _EMPTY:
            return value
    return None


def _when(value: Any) -> tuple[str, str]:
    """(start, end) as FHIR date strings from a dateTime, Period or Timing."""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, dict):
        if "start" in value or "end" in value:
            return str(value.get("start") or ""), str(value.get("end") or "")
        events = value.get("event")
        if isinstance(events, list) and events:
            return str(events[0]), ""
    return "", ""


def _status(resource: dict) -> str:
    for name in ("clinicalStatus", "status"):
        value = resource.get(name)
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            found = codes.codings(value)
            if found:
                return found[0]["code"]
    return ""


def _concept_of(resource: dict, resource_type: str) -> Any:
    if resource_type == "Immunization":
        return resource.get("vaccineCode")
    if resource_type.startswith("Medication"):
        return resource.get("medicationCodeableConcept")
    if resource_type == "DocumentReference":
        return resource.get("type")
    if resource_type == "Encounter":
        types = resource.get("type")
        return types[0] if isinstance(types, list) and types else resource.get("class")
    return resource.get("code")


def _set_codes(result: Normalised, concept: Any) -> None:
    result.codings = codes.codings(concept)
    best = codes.main_coding(result.codings)
    result.code_key = f"{best['system']}|{best['code']}"[:300] if best else ""
    result.title = result.title or codes.concept_text(concept)


def _set_time(result: Normalised, start: str, end: str = "") -> None:
    result.effective_text = start[:40]
    result.effective_at = checked_fhir_date(start)[0]
    result.end_at = checked_fhir_date(end)[0] if end else None


_TIME_FIELDS = {
    "Observation": ("effectiveDateTime", "effectivePeriod", "effectiveInstant", "effectiveTiming", "issued"),
    "DiagnosticReport": ("effectiveDateTime", "effectivePeriod", "issued"),
    "Condition": ("onsetDateTime", "onsetPeriod", "recordedDate", "assertedDate"),
    "AllergyIntolerance": ("onsetDateTime", "onsetPeriod", "recordedDate", "assertedDate"),
    "Immunization": ("occurrenceDateTime", "date", "recorded"),
    "Procedure": ("performedDateTime", "performedPeriod"),
    "Encounter": ("period",),
    "MedicationStatement": ("effectiveDateTime", "effectivePeriod", "dateAsserted"),
    "MedicationRequest": ("authoredOn",),
    "MedicationDispense": ("whenHandedOver", "whenPrepared"),
    "MedicationAdministration": ("effectiveDateTime", "effectivePeriod"),
    "DocumentReference": ("date", "indexed", "created"),
    "Patient": ("birthDate",),
}


def normalise(resource: dict, resolve: Resolver | None = None) -> Normalised | None:
    """The normalised row for a shown resource type, or None for a type that is kept but not shown."""
    resource_type = resource.get("resourceType", "")
    category = CATEGORY_BY_TYPE.get(resource_type)
    if category is None:
        return None
    result = Normalised(category=category, resource_type=resource_type, status=_status(resource))
    start, end = _when(_first(resource, *_TIME_FIELDS.get(resource_type, ())))
    _set_time(result, start, end)
    _set_codes(result, _concept_of(resource, resource_type))
    notes = [n.get("text") for n in resource.get("note") or [] if isinstance(n, dict) and n.get("text")]
    if notes:
        result.details["notes"] = notes
    _SPECIFIC.get(resource_type, _nothing)(resource, result, resolve)
    if found := organisation(resource, resolve):
        result.details["organisation"] = found  # who it came from, by name (#16)
    result.title = result.title[:500]
    return result


def _nothing(_resource: dict, _result: Normalised, _resolve: Resolver | None) -> None:
    return None


def _patient(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    names = resource.get("name") or []
    name = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    given = " ".join(g for g in name.get("given") or [] if isinstance(g, str))
    result.title = name.get("text") or " ".join(p for p in (given, name.get("family") or "") if p)
    identifiers = resource.get("identifier") or []
    result.details["identifier"] = "|".join(
        f"{i.get('system', '')}#{i.get('value', '')}" for i in identifiers if isinstance(i, dict)
    )
    result.details["gender"] = resource.get("gender") or ""
    result.is_current = True


def _condition(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    result.is_current = result.status in ("active", "recurrence", "relapse", "")
    abatement = _first(resource, "abatementDateTime", "abatementPeriod", "abatementString")
    if abatement:
        result.is_current = False
        result.end_at = checked_fhir_date(_when(abatement)[0])[0]


def _allergy(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    result.is_current = result.status in ("active", "")
    reactions = []
    for reaction in resource.get("reaction") or []:
        for manifestation in reaction.get("manifestation") or [] if isinstance(reaction, dict) else []:
            reactions.append(codes.concept_text(manifestation))
    result.details["reactions"] = [r for r in reactions if r]
    result.details["criticality"] = resource.get("criticality") or ""


def _document(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    result.title = resource.get("description") or result.title
    for content in resource.get("content") or []:
        attachment = content.get("attachment") if isinstance(content, dict) else None
        if isinstance(attachment, dict):
            result.details["content_type"] = attachment.get("contentType") or ""
            result.details["attachment_url"] = attachment.get("url") or ""
            result.details["has_data"] = bool(attachment.get("data"))
            result.title = result.title or attachment.get("title") or ""
            break


def _encounter(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    klass = resource.get("class")
    result.details["class"] = codes.concept_text(klass if isinstance(klass, dict) else {})
    reasons = [codes.concept_text(r) for r in resource.get("reasonCode") or resource.get("reason") or []]
    result.details["reasons"] = [r for r in reasons if r]


def _medication(resource: dict, result: Normalised, resolve: Resolver | None) -> None:
    reference = resource.get("medicationReference")
    if not result.codings and isinstance(reference, dict):
        medication = resolve(resource, reference) if resolve else None
        if medication:
            _set_codes(result, medication.get("code"))
        else:
            result.title = result.title or str(reference.get("display") or "")
            result.details["medication_reference"] = reference.get("reference") or ""
    result.details["kind"] = medication_kind(resource)
    result.details.update(treatment_facts(resource))  # treatment, period of use, stop type (#16)
    if result.end_at is None and result.details.get("use_end"):
        result.end_at = checked_fhir_date(result.details["use_end"])[0]
    dosage = resource.get("dosage") or resource.get("dosageInstruction") or []
    result.details["dose"] = dose_parts(dosage if isinstance(dosage, list) else [dosage])
    if resource.get("resourceType") == "MedicationRequest" and not result.end_at:
        validity = (resource.get("dispenseRequest") or {}).get("validityPeriod") or {}
        result.end_at = checked_fhir_date(validity.get("end"))[0] if isinstance(validity, dict) else None
    result.is_current = result.status in ("active", "intended", "on-hold", "") and (
        result.end_at is None or result.end_at >= _now()
    )


def _now() -> datetime:
    from pgo.clock import utcnow

    return utcnow()


def _report(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    result.value_text = str(resource.get("conclusion") or "")[:2000]
    result.details["result_count"] = len(resource.get("result") or [])


_SPECIFIC: dict[str, Callable[[dict, Normalised, Resolver | None], None]] = {
    "Patient": _patient,
    "Condition": _condition,
    "AllergyIntolerance": _allergy,
    "DocumentReference": _document,
    "Encounter": _encounter,
    "MedicationStatement": _medication,
    "MedicationRequest": _medication,
    "MedicationDispense": _medication,
    "MedicationAdministration": _medication,
    "DiagnosticReport": _report,
}


def _register_observation() -> None:
    from pgo.records.observations import observation

    _SPECIFIC["Observation"] = observation


_register_observation()
