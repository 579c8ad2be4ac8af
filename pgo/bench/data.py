"""Benchmark data: a large, realistic FHIR record for one patient and thousands of home measurements.

Deterministic (a seeded random generator), so that two runs measure the same work. Codes and reference ranges are
common LOINC lab tests, SNOMED CT conditions and ATC medicines; the values are made up.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ATC = "http://www.whocc.no/atc"
START = datetime(2005, 1, 3, 8, 30, tzinfo=UTC)

# (code, name, unit, low, high, decimals)
LAB_TESTS = [
    ("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 100, 0),
    ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 4.0, 5.6, 1),
    ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 120, 200, 0),
    ("2085-9", "HDL Cholesterol", "mg/dL", 40, 80, 0),
    ("18262-6", "LDL Cholesterol", "mg/dL", 50, 130, 0),
    ("2571-8", "Triglycerides", "mg/dL", 40, 150, 0),
    ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.6, 1.2, 2),
    ("33914-3", "Glomerular filtration rate/1.73 sq M.predicted", "mL/min/{1.73_m2}", 60, 120, 0),
    ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.5, 5.1, 1),
    ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 135, 145, 0),
    ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 12, 16, 1),
    ("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*3/uL", 4, 10.5, 1),
    ("777-3", "Platelets [#/volume] in Blood by Automated count", "10*3/uL", 150, 400, 0),
    ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 7, 56, 0),
    ("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "m[IU]/L", 0.4, 4.0, 2),
    ("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "mg/L", 0, 10, 1),
]
VITALS = [
    ("29463-7", "Body weight", "kg", 60, 95, 1),
    ("8867-4", "Heart rate", "/min", 55, 95, 0),
    ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 19, 30, 1),
]
CONDITIONS = [
    ("44054006", "Diabetes mellitus type 2"),
    ("38341003", "Hypertensive disorder"),
    ("55822004", "Hyperlipidemia"),
    ("195967001", "Asthma"),
    ("40055000", "Chronic sinusitis"),
    ("10509002", "Acute bronchitis"),
    ("444814009", "Viral sinusitis"),
    ("195662009", "Acute viral pharyngitis"),
    ("271737000", "Anemia"),
    ("53741008", "Coronary arteriosclerosis"),
    ("431855005", "Chronic kidney disease stage 1"),
    ("35489007", "Depressive disorder"),
]
MEDICINES = [
    ("A10BA02", "metformine 500 mg tablet", 1, "tablet"),
    ("C09AA02", "enalapril 10 mg tablet", 1, "tablet"),
    ("C10AA05", "atorvastatine 20 mg tablet", 1, "tablet"),
    ("R03AC02", "salbutamol 100 microgram/dosis inhalator", 2, "puff"),
    ("N02BE01", "paracetamol 500 mg tablet", 2, "tablet"),
    ("C07AB02", "metoprolol 50 mg tablet", 1, "tablet"),
    ("B01AC06", "acetylsalicylzuur 80 mg tablet", 1, "tablet"),
    ("N06AB06", "sertraline 50 mg tablet", 1, "tablet"),
]
VACCINES = [("08", "Hep B, adolescent or pediatric"), ("140", "Influenza, seasonal, injectable"), ("113", "Td")]
PROCEDURES = [("430193006", "Medication reconciliation"), ("710824005", "Assessment of health and social care needs")]


@dataclass(frozen=True)
class RecordShape:
    """How many resources of each kind a generated record holds (the rest are lab results and vital signs)."""

    total: int

    @property
    def encounters(self) -> int:
        return max(1, self.total // 25)

    @property
    def conditions(self) -> int:
        return max(1, self.total // 50)

    @property
    def medications(self) -> int:
        return max(1, self.total // 40)

    @property
    def immunizations(self) -> int:
        return max(1, self.total // 200)

    @property
    def procedures(self) -> int:
        return max(1, self.total // 100)


def _concept(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _ref(resource: dict) -> dict:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _moment(rng: random.Random, index: int, count: int) -> datetime:
    span = (datetime(2024, 6, 1, tzinfo=UTC) - START).total_seconds()
    return START + timedelta(seconds=span * index / max(count, 1) + rng.randint(0, 3600 * 8))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate_record(total: int, seed: int = 8) -> list[dict]:
    """``total`` FHIR R4 resources about one patient: encounters, conditions, medication, results and more."""
    rng = random.Random(seed)
    shape = RecordShape(total)
    patient = {
        "resourceType": "Patient",
        "id": _uuid(rng),
        "identifier": [{"system": "http://fhir.nl/fhir/NamingSystem/bsn", "value": "999911120"}],
        "name": [{"family": "Bench", "given": ["Bea"]}],
        "gender": "female",
        "birthDate": "1958-04-12",
    }
    resources = [patient]
    encounters = [_encounter(rng, patient, i, shape.encounters) for i in range(shape.encounters)]
    resources += encounters
    resources += [_condition(rng, patient, i, shape.conditions) for i in range(shape.conditions)]
    resources += [_medication(rng, patient, i, shape.medications) for i in range(shape.medications)]
    resources += [_immunization(rng, patient, i, shape.immunizations) for i in range(shape.immunizations)]
    resources += [_procedure(rng, patient, i, shape.procedures) for i in range(shape.procedures)]
    observations = total - len(resources)
    resources += [_observation(rng, patient, encounters, i, observations) for i in range(observations)]
    return resources


def _encounter(rng: random.Random, patient: dict, index: int, count: int) -> dict:
    start = _moment(rng, index, count)
    return {
        "resourceType": "Encounter",
        "id": _uuid(rng),
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "type": [_concept(SNOMED, "185349003", "Encounter for check up")],
        "subject": _ref(patient),
        "period": {"start": start.isoformat(), "end": (start + timedelta(minutes=20)).isoformat()},
    }


def _condition(rng: random.Random, patient: dict, index: int, count: int) -> dict:
    code, name = CONDITIONS[index % len(CONDITIONS)]
    onset = _moment(rng, index, count)
    resource = {
        "resourceType": "Condition",
        "id": _uuid(rng),
        "clinicalStatus": _concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
        "code": _concept(SNOMED, code, name),
        "subject": _ref(patient),
        "onsetDateTime": onset.isoformat(),
        "recordedDate": onset.isoformat(),
    }
    if index >= len(CONDITIONS) and rng.random() < 0.8:  # most later episodes are over
        resource["clinicalStatus"] = _concept(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", "Resolved"
        )
        resource["abatementDateTime"] = (onset + timedelta(days=rng.randint(5, 60))).isoformat()
    return resource


def _medication(rng: random.Random, patient: dict, index: int, count: int) -> dict:
    code, name, amount, unit = MEDICINES[index % len(MEDICINES)]
    authored = _moment(rng, index, count)
    current = index >= count - len(MEDICINES)
    return {
        "resourceType": "MedicationRequest",
        "id": _uuid(rng),
        "status": "active" if current else "completed",
        "intent": "order",
        "medicationCodeableConcept": _concept(ATC, code, name),
        "subject": _ref(patient),
        "authoredOn": authored.isoformat(),
        "dosageInstruction": [
            {
                "text": f"{amount} {unit} per dag",
                "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": {"value": amount, "unit": unit}}],
            }
        ],
    }


def _immunization(rng: random.Random, patient: dict, index: int, count: int) -> dict:
    code, name = VACCINES[index % len(VACCINES)]
    return {
        "resourceType": "Immunization",
        "id": _uuid(rng),
        "status": "completed",
        "vaccineCode": _concept("http://hl7.org/fhir/sid/cvx", code, name),
        "patient": _ref(patient),
        "occurrenceDateTime": _moment(rng, index, count).isoformat(),
        "primarySource": True,
    }


def _procedure(rng: random.Random, patient: dict, index: int, count: int) -> dict:
    code, name = PROCEDURES[index % len(PROCEDURES)]
    start = _moment(rng, index, count)
    return {
        "resourceType": "Procedure",
        "id": _uuid(rng),
        "status": "completed",
        "code": _concept(SNOMED, code, name),
        "subject": _ref(patient),
        "performedPeriod": {"start": start.isoformat(), "end": (start + timedelta(minutes=15)).isoformat()},
    }


def _observation(rng: random.Random, patient: dict, encounters: list[dict], index: int, count: int) -> dict:
    is_lab = rng.random() < 0.75
    code, name, unit, low, high, decimals = rng.choice(LAB_TESTS if is_lab else VITALS)
    spread = (high - low) * 0.25
    value = round(rng.uniform(low - spread, high + spread), decimals)
    category = "laboratory" if is_lab else "vital-signs"
    resource = {
        "resourceType": "Observation",
        "id": _uuid(rng),
        "status": "final",
        "category": [
            _concept("http://terminology.hl7.org/CodeSystem/observation-category", category, category.title())
        ],
        "code": _concept(LOINC, code, name),
        "subject": _ref(patient),
        "encounter": _ref(encounters[index * len(encounters) // max(count, 1)]),
        "effectiveDateTime": _moment(rng, index, count).isoformat(),
        "issued": _moment(rng, index, count).isoformat(),
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }
    if is_lab:
        resource["referenceRange"] = [
            {"low": {"value": low, "unit": unit}, "high": {"value": high, "unit": unit}, "text": f"{low}-{high}"}
        ]
        if value > high or value < low:
            flag = "H" if value > high else "L"
            resource["interpretation"] = [
                _concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag, flag)
            ]
    return resource


def write_bundle(resources: list[dict], path: Path) -> Path:
    """A FHIR collection Bundle, as an export or Synthea would write it."""
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return path


_URN = re.compile(r"urn:uuid:[0-9A-Za-z-]+")


def write_ndjson(resources: list[dict], path: Path) -> Path:
    """The same resources as NDJSON, with relative references (bulk data export style)."""
    by_uuid = {f"urn:uuid:{r['id']}": f"{r['resourceType']}/{r['id']}" for r in resources}

    def relative(match: re.Match) -> str:
        return by_uuid.get(match.group(0), match.group(0))

    with path.open("w", encoding="utf-8") as fh:
        for resource in resources:  # one pass per line (replacing every known urn in every line was quadratic)
            fh.write(_URN.sub(relative, json.dumps(resource, ensure_ascii=False)) + "\n")
    return path


# Home measurements: (type, field values at the middle of the usual range, spread).
MEASUREMENT_MIX = [
    ("blood_pressure", {"systolic": 135, "diastolic": 85, "heart_rate": 72}, 12),
    ("body_weight", {"value": 78.0}, 3),
    ("heart_rate", {"value": 70}, 10),
]


def measurement_rows(user_id: int, count: int, now: datetime, seed: int = 5) -> Iterator[dict]:
    """``count`` entered measurements over the past year (newest last), as rows of the measurement table."""
    from pgo.measurements.models import Measurement  # noqa: F401  (table registered)
    from pgo.measurements.types import get_type

    rng = random.Random(seed)
    for index in range(count):
        kind, middle, spread = MEASUREMENT_MIX[index % len(MEASUREMENT_MIX)]
        mtype = get_type(kind)
        moment = now - timedelta(minutes=int(525_600 * (count - index) / count))
        values = {k: round(v + rng.uniform(-spread, spread), 1) for k, v in middle.items()}
        yield {
            "user_id": user_id,
            "type": mtype.key,
            "values": values,
            "unit": mtype.unit,
            "entered_values": values,
            "entered_unit": mtype.unit,
            "measured_at": moment,
            "entered_at": moment,
            "source": "entered",
            "note": "",
            "idempotency_token": f"bench-{index}",
            "flagged": False,
            "severity": "ok",
        }


def add_measurements(*, session: Session, user_id: int, count: int, now: datetime, entered: int = 50) -> None:
    """``count`` measurements: the last ``entered`` through the entry function (validation, advice), the rest bulk."""
    from pgo.measurements.entry import record_measurement
    from pgo.measurements.models import Measurement

    bulk = max(count - entered, 0)
    rows = list(measurement_rows(user_id, count, now))
    if bulk:
        session.execute(insert(Measurement.__table__), rows[:bulk])
    for row in rows[bulk:]:
        result = record_measurement(
            session=session,
            user_id=user_id,
            type=row["type"],
            form_values={k: str(v) for k, v in row["values"].items()},
            unit=row["unit"],
            measured_at=row["measured_at"],
            token=row["idempotency_token"],
            confirm=True,
            now=now,
        )
        if not result.stored:
            raise RuntimeError(f"benchmark measurement refused: {result.errors}")
    session.flush()
