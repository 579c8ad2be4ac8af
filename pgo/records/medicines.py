"""One medicine once (#16, 2026-12-03): the MedMij medication process sends a medication agreement, administration
agreements, medication use and dispenses for one treatment; a person reads them as one medicine with its history.

At import, ``treatment_facts`` reads from one resource what grouping needs (STU3 9.0.7 and R4 MP9 3.0): the
medication treatment identifier ("medicamenteuze behandeling", grouped on its system and value), the period of use
and the stop type (pause, stop, cancelled). On the pages, ``group`` puts the stored rows of one treatment together:
by treatment identifier first, else by the product's code, else by its name. See TERMINOLOGY.md section 2.
No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pgo.clock import as_utc
from pgo.records.dates import parse_fhir_date

TREATMENT_EXTENSIONS = (
    "http://nictiz.nl/fhir/StructureDefinition/zib-Medication-MedicationTreatment",  # STU3 9.0.7
    "http://nictiz.nl/fhir/StructureDefinition/ext-PharmaceuticalTreatment.Identifier",  # R4 MP9 3.0
)
PERIOD_EXTENSIONS = (
    "http://nictiz.nl/fhir/StructureDefinition/zib-Medication-PeriodOfUse",  # STU3
    "http://nictiz.nl/fhir/StructureDefinition/ext-TimeInterval.Period",  # R4 MP9 3.0
    "http://nictiz.nl/fhir/StructureDefinition/ext-TimeInterval-Period",
)
STOP_TYPES = {
    ("urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.2.1", "1"): "pause",  # STU3 "Tijdelijk"
    ("urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.2.1", "2"): "stop",  # STU3 "Definitief"
    ("http://snomed.info/sct", "385655000"): "pause",  # onderbroken
    ("http://snomed.info/sct", "410546004"): "stop",  # stopgezet
    ("http://snomed.info/sct", "89925002"): "cancelled",  # geannuleerd
    ("http://snomed.info/sct", "113381000146106"): "pause",  # deprecated codes
    ("http://snomed.info/sct", "113371000146109"): "stop",
}
# Which building block speaks for the medicine: the agreement, else the administration agreement, else use ...
KIND_ORDER = ("agreement", "administration_agreement", "use", "dispense", "administration")
CURRENT, STARTS, PAUSED, STOPPED = "current", "starts", "paused", "stopped"


def _extensions(resource: dict, key: str = "extension") -> list[dict]:
    found = resource.get(key)
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _treatment(resource: dict) -> str:
    for extension in _extensions(resource):
        if extension.get("url") in TREATMENT_EXTENSIONS and isinstance(extension.get("valueIdentifier"), dict):
            identifier = extension["valueIdentifier"]
            if identifier.get("value"):
                return f"{identifier.get('system') or ''}|{identifier['value']}"[:300]
    return ""


def _period(resource: dict) -> dict:
    for extension in _extensions(resource):
        if extension.get("url") in PERIOD_EXTENSIONS and isinstance(extension.get("valuePeriod"), dict):
            return extension["valuePeriod"]
    if isinstance(resource.get("effectivePeriod"), dict):
        return resource["effectivePeriod"]
    dosages = resource.get("dosageInstruction") or resource.get("dosage") or []
    for dosage in dosages if isinstance(dosages, list) else []:
        timing = dosage.get("timing") if isinstance(dosage, dict) else None
        repeat = timing.get("repeat") if isinstance(timing, dict) else None
        if isinstance(repeat, dict) and isinstance(repeat.get("boundsPeriod"), dict):
            return repeat["boundsPeriod"]
    return {}


def _stop(resource: dict) -> str:
    for extension in _extensions(resource, "modifierExtension") + _extensions(resource):
        url = str(extension.get("url") or "")
        if not url.endswith(("StopType", "Medication-StopType")):
            continue
        concept = extension.get("valueCodeableConcept") or {}
        for coding in concept.get("coding") or []:
            if isinstance(coding, dict) and (kind := STOP_TYPES.get((coding.get("system"), str(coding.get("code"))))):
                return kind
    return ""


def treatment_facts(resource: dict) -> dict[str, Any]:
    """What grouping needs from one medication resource: treatment ("system|value"), use_start, use_end, stop."""
    period = _period(resource)
    facts = {
        "treatment": _treatment(resource),
        "use_start": str(period.get("start") or "")[:40],
        "use_end": str(period.get("end") or "")[:40],
        "stop": _stop(resource),
    }
    return {key: value for key, value in facts.items() if value}


def group_key(entry) -> str:
    details = entry.details or {}
    if details.get("treatment"):
        return "treatment:" + details["treatment"]
    if entry.code_key:
        return "product:" + entry.code_key
    return "name:" + (entry.title or "").strip().lower()


def _rank(entry) -> tuple:
    kind = str((entry.details or {}).get("kind", ""))
    order = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    moment = as_utc(entry.effective_at).timestamp() if entry.effective_at else float("-inf")
    return (order, -moment, -(entry.id or 0))


@dataclass(frozen=True)
class Medicine:
    """The rows of one treatment: ``main`` speaks for it, ``others`` are its history (newest first)."""

    key: str
    main: Any  # RecordEntry
    others: tuple
    state: str  # current, starts, paused, stopped
    starts: datetime | None  # when a medicine that has not started yet starts

    @property
    def newest(self) -> datetime | None:
        moments = [as_utc(e.effective_at) for e in (self.main, *self.others) if e.effective_at]
        return max(moments) if moments else None


def _start_of(entry) -> datetime | None:
    start = str((entry.details or {}).get("use_start") or "")
    return parse_fhir_date(start)[0] if start else None


def _state(entries: list, now: datetime) -> tuple[str, datetime | None]:
    current = [e for e in entries if e.is_current and (e.details or {}).get("stop") not in ("stop", "cancelled")]
    if not current:
        return STOPPED, None
    main = min(current, key=_rank)
    if (main.details or {}).get("stop") == "pause":
        return PAUSED, None
    started = [e for e in current if (_start_of(e) or now) <= now]
    if started:
        return CURRENT, None
    return STARTS, min(s for e in current if (s := _start_of(e)) is not None)


def group(entries: Iterable, now: datetime) -> list[Medicine]:
    """The medicines in these medication rows, newest first; each row in exactly one medicine."""
    grouped: dict[str, list] = {}
    for entry in entries:
        grouped.setdefault(group_key(entry), []).append(entry)
    medicines = []
    for key, rows in grouped.items():
        rows.sort(key=_rank)
        state, starts = _state(rows, now)
        history = sorted(rows[1:], key=lambda e: as_utc(e.effective_at).timestamp() if e.effective_at else 0.0)
        medicines.append(Medicine(key, rows[0], tuple(reversed(history)), state, starts))
    medicines.sort(key=lambda m: m.newest.timestamp() if m.newest else float("-inf"), reverse=True)
    return medicines
