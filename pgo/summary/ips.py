"""The summary as an International Patient Summary (issue #21): a FHIR R4 document Bundle.

The Bundle holds a Composition (LOINC 60591-5, Patient summary Document) with the IPS sections of HL7 IPS 1.1:
problems (11450-4), medication (10160-0), allergies (48765-2), immunizations (11369-6) and results (30954-2), the
Patient and one resource per record, made from the normalised records (not the resources as received: those may
be STU3). A section without records says so with an ``emptyReason`` (nilknown). Every resource keeps all the
record's codings and its date as recorded, so importing the Bundle (or an export that holds it) finds the same
facts again and de-duplicates them against the originals.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from html import escape
from typing import Any

from sqlmodel import Session

from pgo.accounts.models import User
from pgo.clock import utcnow
from pgo.records.dosage import from_legacy
from pgo.records.for_summary import patient_records
from pgo.summary.health import _codings, birth_date_text, summary_entries

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
IPS_PROFILE = "http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips"
# pgo's own summary, made from the records: an export holds the records themselves too, so an import of the export
# leaves this copy out (pgo.records.fhir_files); the summary imported on its own is read like any other Bundle.
DERIVED_TAG = {"system": "urn:pgo:derived", "code": "summary", "display": "Made by pgo from the records"}
# (section key, LOINC code, LOINC display, title)
SECTIONS = (
    ("problems", "11450-4", "Problem list - Reported", "Active Problems"),
    ("medication", "10160-0", "History of Medication use Narrative", "Medication"),
    ("allergies", "48765-2", "Allergies and adverse reactions Document", "Allergies and Intolerances"),
    ("vaccinations", "11369-6", "History of Immunization Narrative", "Immunizations"),
    ("results", "30954-2", "Relevant diagnostic tests/laboratory data Narrative", "Results"),
)
_CLINICAL = "http://terminology.hl7.org/CodeSystem/"
_FLAGS = {"high": ("H", "High"), "low": ("L", "Low"), "abnormal": ("A", "Abnormal")}
_DATETIME = ("onsetDateTime", "effectiveDateTime", "occurrenceDateTime")


def _r4(resource_type: str) -> dict[str, list[str]]:
    """The core R4 profile with its version: an importer reading a file of mixed versions (pgo's own export holds
    STU3 records too) then knows these are R4."""
    return {"profile": [f"http://hl7.org/fhir/StructureDefinition/{resource_type}|4.0.1"]}


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'pgo-ips/' + '/'.join(str(p) for p in parts))}"


def _concept(entry, codings: list[tuple[str, str, str]]) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": entry.title or "unknown"}
    coded = [{"system": s, "code": c, **({"display": d} if d else {})} for s, c, d in codings if s and c]
    if coded:
        concept["coding"] = coded
    return concept


def _when(entry) -> str | None:
    """The date as recorded (its own precision), when it is a FHIR dateTime."""
    text = entry.effective_text
    if not text:
        return None
    if "T" in text and not (text.endswith("Z") or "+" in text[10:] or "-" in text[10:]):
        return text[:10]  # a time without a zone is not a valid FHIR dateTime: keep the day
    return text


def _status(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": _CLINICAL + system, "code": code}]}


def _condition(entry, concept: dict, patient: dict) -> dict[str, Any]:
    resource = {"resourceType": "Condition", "clinicalStatus": _status("condition-clinical", "active"),
                "code": concept, "subject": patient}  # fmt: skip
    if when := _when(entry):
        resource["onsetDateTime"] = when
    return resource


def _dosage(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FHIR R4 Dosage back from the stored dose (pgo.records.dosage.dose_parts, the R4 shape): structured where
    the source was, so that it is put in words in each reader's language again; the prescriber's text as it was."""
    return [dosage for part in parts if isinstance(part, dict) and (dosage := from_legacy(part))]


def _medication(entry, concept: dict, patient: dict) -> dict[str, Any]:
    """A MedicationRequest for an agreement (as the source had it), a MedicationStatement for everything else."""
    dosage = _dosage((entry.details or {}).get("dose") or [])
    if (entry.details or {}).get("kind") == "agreement":
        resource = {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                    "medicationCodeableConcept": concept, "subject": patient}  # fmt: skip
        if when := _when(entry):
            resource["authoredOn"] = when
        if dosage:
            resource["dosageInstruction"] = dosage
        return resource
    resource = {"resourceType": "MedicationStatement", "status": "active", "medicationCodeableConcept": concept,
                "subject": patient}  # fmt: skip
    if when := _when(entry):
        resource["effectiveDateTime"] = when
    if dosage:
        resource["dosage"] = dosage
    return resource


def _allergy(entry, concept: dict, patient: dict) -> dict[str, Any]:
    resource = {"resourceType": "AllergyIntolerance",
                "clinicalStatus": _status("allergyintolerance-clinical", "active"), "code": concept,
                "patient": patient}  # fmt: skip
    if when := _when(entry):
        resource["onsetDateTime"] = when
    reactions = [r for r in (entry.details or {}).get("reactions") or [] if isinstance(r, str) and r]
    if reactions:
        resource["reaction"] = [{"manifestation": [{"text": r} for r in reactions]}]
    return resource


def _immunization(entry, concept: dict, patient: dict) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Immunization", "status": "completed", "vaccineCode": concept,
                                "patient": patient}  # fmt: skip
    when = _when(entry)
    resource["occurrenceDateTime" if when else "occurrenceString"] = when or "unknown"
    return resource


def _observation(entry, concept: dict, patient: dict) -> dict[str, Any]:
    kind = "vital-signs" if (entry.details or {}).get("kind") == "vital" else "laboratory"
    resource: dict[str, Any] = {
        "resourceType": "Observation", "status": "final", "code": concept, "subject": patient,
        "category": [{"coding": [{"system": _CLINICAL + "observation-category", "code": kind}]}],
    }  # fmt: skip
    if when := _when(entry):
        resource["effectiveDateTime"] = when
    if entry.value_num is not None:
        quantity: dict[str, Any] = {"value": entry.value_num}
        if entry.comparator in ("<", "<=", ">=", ">"):
            quantity["comparator"] = entry.comparator
        if entry.unit:
            quantity.update(unit=entry.unit, system=UCUM, code=entry.unit)
        resource["valueQuantity"] = quantity
    elif entry.value_text:
        resource["valueString"] = entry.value_text
    if entry.flag in _FLAGS:
        code, display = _FLAGS[entry.flag]
        system = _CLINICAL + "v3-ObservationInterpretation"
        resource["interpretation"] = [{"coding": [{"system": system, "code": code, "display": display}]}]
    reference = {}
    for name, value in (("low", entry.ref_low), ("high", entry.ref_high)):
        if value is not None:
            reference[name] = {"value": value, **({"unit": entry.unit, "system": UCUM, "code": entry.unit}
                                                   if entry.unit else {})}  # fmt: skip
    if entry.ref_text and not reference:
        reference["text"] = entry.ref_text
    if reference:
        resource["referenceRange"] = [reference]
    return resource


def _resource(key: str, entry, concept: dict, patient: dict) -> dict[str, Any]:
    if key == "problems":
        return _condition(entry, concept, patient)
    if key == "medication":
        return _medication(entry, concept, patient)
    if key == "allergies":
        return _allergy(entry, concept, patient)
    if key == "vaccinations":
        return _immunization(entry, concept, patient)
    return _observation(entry, concept, patient)


def _narrative(items: list[str], empty: str) -> dict[str, str]:
    body = "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else f"<p>{escape(empty)}</p>"
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def _identifiers(text: str) -> list[dict[str, str]]:
    """FHIR identifiers back from a record's stored ``system#value|...`` (pgo.records.normalise)."""
    found = []
    for item in text.split("|"):
        system, _sep, value = item.rpartition("#")
        if value:
            found.append({"system": system, "value": value} if system else {"value": value})
    return found


def _patient(session: Session, user_id: int, url: str) -> dict[str, Any]:
    """The person as their records name them when every source agrees (an importer then finds the same person
    again: the same name, birth date and identifiers); else the account's name and every identifier."""
    rows = patient_records(session=session, user_id=user_id)
    people = {(title, when, str((details or {}).get("identifier") or "")) for title, when, details in rows}
    resource: dict[str, Any] = {"resourceType": "Patient", "id": url.rsplit(":", 1)[-1], "meta": _r4("Patient")}
    if len(people) == 1:
        name, birth, identifiers = people.pop()
    else:
        person = session.get(User, user_id)
        name, birth = (person.name if person else "") or "", birth_date_text(session=session, user_id=user_id)
        identifiers = "|".join(str((details or {}).get("identifier") or "") for _t, _w, details in rows)
    if found := _identifiers(identifiers):
        resource["identifier"] = list({(i.get("system"), i["value"]): i for i in found}.values())
    resource["name"] = [{"text": name or "unknown"}]
    if birth:
        resource["birthDate"] = birth[:10]
    return resource


def _item_text(entry) -> str:
    parts = [entry.title or "unknown"]
    if entry.value_text:
        parts.append(f"{entry.value_text} {entry.unit}".strip())
    if entry.effective_text:
        parts.append(entry.effective_text[:10])
    return " · ".join(parts)


def ips_bundle(*, session: Session, user_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The person's summary as an IPS document Bundle (FHIR R4), as a JSON-ready dict."""
    moment = (now or utcnow()).isoformat(timespec="seconds")
    chosen = summary_entries(session=session, user_id=user_id)
    codings = _codings(session, [e for entries in chosen.values() for e in entries])
    patient_url = _urn(user_id, "patient")
    subject = {"reference": patient_url}
    entries: list[dict[str, Any]] = []
    sections = []
    for key, code, display, title in SECTIONS:
        refs, texts = [], []
        for entry in chosen[key]:
            url = _urn(user_id, entry.id)
            resource = _resource(key, entry, _concept(entry, codings.get(entry.id or 0, [])), subject)
            resource["id"] = url.rsplit(":", 1)[-1]
            resource["meta"] = _r4(resource["resourceType"])
            entries.append({"fullUrl": url, "resource": resource})
            refs.append({"reference": url})
            texts.append(_item_text(entry))
        section: dict[str, Any] = {"title": title, "code": {"coding": [{"system": LOINC, "code": code,
                                                                          "display": display}]},
                                   "text": _narrative(texts, f"No {title.lower()} recorded.")}  # fmt: skip
        if refs:
            section["entry"] = refs
        else:
            section["emptyReason"] = {"coding": [{"system": _CLINICAL + "list-empty-reason", "code": "nilknown"}]}
        sections.append(section)
    composition_url = _urn(user_id, "composition", moment)
    composition = {
        "resourceType": "Composition", "id": composition_url.rsplit(":", 1)[-1], "meta": _r4("Composition"),
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": "60591-5", "display": "Patient summary Document"}]},
        "subject": subject, "date": moment, "author": [subject], "title": "Patient Summary",
        "confidentiality": "N", "section": sections,
    }  # fmt: skip
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"profile": [IPS_PROFILE], "tag": [DERIVED_TAG]},
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "document",
        "timestamp": moment,
        "entry": [
            {"fullUrl": composition_url, "resource": composition},
            {"fullUrl": patient_url, "resource": _patient(session, user_id, patient_url)},
            *entries,
        ],
    }


def validate(bundle: dict[str, Any]) -> None:
    """Raise when the Bundle is not valid FHIR (fhir.resources' R4B models: the nearest to R4 it has)."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)


def ips_for_export(*, session: Session, user_id: int):
    """The export's contributor: the IPS document Bundle, as one resource of the export's collection."""
    if any(summary_entries(session=session, user_id=user_id).values()):  # nothing to sum up: no document
        yield ips_bundle(session=session, user_id=user_id)
