"""Measurements as FHIR R4 Observations, and back.

Out: every measurement is an Observation with category vital-signs (survey for pain and notes), the
nl-core (zib2020) profile where one exists, LOINC codes and UCUM quantities. Blood pressure is the panel
85354-9 with components 8480-6 and 8462-4, as in nl-core-BloodPressure; a pulse from the same device is an
extra component 8867-4 (the profile's component slicing is open).

In: ``measurement_from_observation`` reads Observations from imported bundles (R4 and STU3 JSON: MedMij
self-measurements, the Nictiz examples, Synthea vitals incl. blood pressure as 55284-4) into the values of a
Measurement, converted to our canonical units. It returns None for anything that is not one of our types or
has no usable value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from sqlmodel import Session, col, select

from pgo.localtime import local_to_utc
from pgo.measurements.models import Measurement, Source
from pgo.measurements.types import TYPES, MeasurementType, get_type
from pgo.measurements.units import PINT_UNITS, UnitError, convert, parse_number

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_SYSTEM = "urn:pgo:measurement"
BP_COMPONENTS = {"8480-6": "systolic", "8462-4": "diastolic", "8867-4": "heart_rate"}
DISPLAY = {
    "85354-9": "Blood pressure panel with all children optional",
    "8480-6": "Systolic blood pressure",
    "8462-4": "Diastolic blood pressure",
    "8867-4": "Heart rate",
}


def _coding(code: str, display: str | None = None) -> dict:
    coding = {"system": LOINC, "code": code}
    if display:
        coding["display"] = display
    return coding


def _quantity(value: float, unit: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def observation_for(measurement: Measurement, *, patient_reference: str | None = None) -> dict:
    """One measurement as a FHIR R4 Observation (a plain dict, ready for JSON)."""
    mtype = get_type(measurement.type)
    resource: dict = {
        "resourceType": "Observation",
        "id": f"pgo-measurement-{measurement.id}",
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": measurement.idempotency_token}],
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": mtype.category}]}],
        "code": {"text": str(mtype.label)},
        "subject": {"reference": patient_reference or f"Patient/{measurement.user_id}"},
        "effectiveDateTime": measurement.measured_at.isoformat(),
        "issued": measurement.entered_at.isoformat(),
    }
    if mtype.profile:
        resource["meta"] = {"profile": [mtype.profile]}
    if mtype.loinc:
        resource["code"]["coding"] = [_coding(mtype.loinc[0], DISPLAY.get(mtype.loinc[0]))]
    if mtype.key == "oxygen_saturation":
        resource["code"]["coding"].append(_coding("2708-6"))
    if mtype.key == "blood_pressure":
        resource["component"] = [
            {"code": {"coding": [_coding(spec.loinc, DISPLAY.get(spec.loinc))]},
             "valueQuantity": _quantity(measurement.values[spec.name], mtype.unit)}
            for spec in mtype.fields
            if measurement.values.get(spec.name) is not None
        ]  # fmt: skip
        for component in resource["component"]:
            if component["code"]["coding"][0]["code"] == "8867-4":
                component["valueQuantity"] = _quantity(measurement.values["heart_rate"], "/min")
    elif mtype.is_note:
        resource["valueString"] = measurement.note
    else:
        resource["valueQuantity"] = _quantity(measurement.values["value"], mtype.unit)
    if measurement.note and not mtype.is_note:
        resource["note"] = [{"text": measurement.note}]
    return resource


def fhir_resources_for_export(*, session: Session, user_id: int) -> Iterator[dict]:
    """Every measurement of the person as an Observation, oldest first (the export registers this)."""
    query = select(Measurement).where(Measurement.user_id == user_id).order_by(col(Measurement.measured_at))
    for measurement in session.exec(query):
        yield observation_for(measurement)


# --- reading Observations -------------------------------------------------------------------------------


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _loinc_codes(concept) -> list[str]:
    if not isinstance(concept, dict):
        return []
    return [
        str(c.get("code"))
        for c in _as_list(concept.get("coding"))
        if isinstance(c, dict) and c.get("system") == LOINC and c.get("code")
    ]


def _quantity_value(quantity, target: str) -> float | None:
    """A valueQuantity in ``target`` units, or None when it has no number or an unknown unit."""
    if not isinstance(quantity, dict):
        return None
    number = parse_number(quantity.get("value"))
    if number is None:
        return None
    unit = quantity.get("code") or quantity.get("unit") or target
    aliases = {"mmHg": "mm[Hg]", "mmol/l": "mmol/L", "gram": "g", "lb": "[lb_av]", "beats/minute": "/min"}
    unit = aliases.get(unit, unit)
    if unit == target:
        return number
    if unit not in PINT_UNITS or target not in PINT_UNITS:
        return None
    try:
        return _converted(number, unit, target) if number else convert(number, unit, target)
    except UnitError:
        return None


@lru_cache(maxsize=8192)
def _converted(number: float, unit: str, target: str) -> float:
    """``convert``, remembered: pint takes about 0.1 ms a glucose value (40 ms for the 400 of a 10,000-resource
    record), and a record repeats its values (e.g. glucose in whole mg/dL). Zero never comes here: 0.0 and -0.0
    are one key but may convert differently."""
    return convert(number, unit, target)


def _effective(resource: dict) -> datetime | None:
    period = resource.get("effectivePeriod")
    start = period.get("start") if isinstance(period, dict) else None
    text = resource.get("effectiveDateTime") or resource.get("effectiveInstant") or start or resource.get("issued")
    if not isinstance(text, str):
        return None
    try:
        if len(text) == 10:  # a date only: the start of that day in Dutch local time
            return local_to_utc(datetime.combine(datetime.fromisoformat(text).date(), time.min))
        return local_to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _values(resource: dict, mtype: MeasurementType) -> dict[str, float]:
    values: dict[str, float] = {}
    if mtype.key == "blood_pressure":
        for component in _as_list(resource.get("component")):
            for code in _loinc_codes(component.get("code")) if isinstance(component, dict) else []:
                if code in BP_COMPONENTS:
                    target = "/min" if code == "8867-4" else mtype.unit
                    value = _quantity_value(component.get("valueQuantity"), target)
                    if value is not None:
                        values[BP_COMPONENTS[code]] = value
        return values if {"systolic", "diastolic"} <= values.keys() else {}
    value = _quantity_value(resource.get("valueQuantity"), mtype.unit)
    if value is None and mtype.key == "pain_score":
        value = parse_number(resource.get("valueInteger"))
    return {"value": value} if value is not None else {}


def _plausible(mtype: MeasurementType, values: dict[str, float]) -> bool:
    return all(
        spec.plausible[0] <= values[spec.name] <= spec.plausible[1] for spec in mtype.fields if spec.name in values
    )


# type_for_loinc as one look-up: the importer asks it for every LOINC code of every Observation.
_TYPE_BY_LOINC: dict[str, MeasurementType] = {}
for _type in TYPES.values():
    for _code in _type.loinc:
        _TYPE_BY_LOINC.setdefault(_code, _type)  # the first type that names a code, as type_for_loinc finds it


def _type_of(concept) -> MeasurementType | None:
    """Our type for the first LOINC code of ``concept`` that names one."""
    for code in _loinc_codes(concept):
        if (mtype := _TYPE_BY_LOINC.get(code)) is not None:
            return mtype
    return None


def measurement_from_observation(resource: dict) -> dict | None:
    """The Measurement fields for an imported Observation, or None when it is not a home measurement type.

    Gives ``type``, ``values`` (canonical units), ``unit``, ``measured_at`` (UTC), ``note``, ``source`` and
    ``source_ref`` (the resource id), so the importer can store it in the same history.
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
        return None
    if resource.get("status") in ("entered-in-error", "cancelled"):
        return None
    mtype = _type_of(resource.get("code"))  # first: most Observations of a record are not ours (lab results)
    if mtype is None or mtype.is_note:
        return None
    measured_at = _effective(resource)
    if measured_at is None:
        return None
    values = {name: round(value, 3) for name, value in _values(resource, mtype).items()}
    if not values or not _plausible(mtype, values):
        return None
    notes = [n.get("text", "") for n in _as_list(resource.get("note")) if isinstance(n, dict)]
    return {
        "type": mtype.key,
        "values": values,
        "unit": mtype.unit,
        "measured_at": measured_at,
        "note": " ".join(filter(None, notes))[:2000],
        "source": Source.IMPORTED,
        "source_ref": f"Observation/{resource.get('id')}" if resource.get("id") else None,
    }


def imported_fields(*, user_id: int, mapped: dict, origin: str = "") -> dict[str, Any]:
    """The Measurement fields for what ``measurement_from_observation`` gave (the rest keep their defaults); the
    token names the person's origin and resource, so that importing it again stores nothing new."""
    ref = mapped.get("source_ref") or f"{mapped['type']}@{mapped['measured_at'].isoformat()}:{mapped['values']}"
    reference = f"{origin}#{ref}" if origin else ref
    return {
        "user_id": user_id,
        "type": mapped["type"],
        "values": mapped["values"],
        "unit": mapped["unit"],
        "measured_at": mapped["measured_at"],
        "source": Source.IMPORTED,
        "source_ref": reference[:500],
        "note": mapped.get("note", ""),
        "idempotency_token": "fhir:" + hashlib.sha256(reference.encode()).hexdigest()[:40],
    }


def imported_measurement(*, user_id: int, mapped: dict, origin: str = "") -> Measurement:
    """The (not yet stored) measurement for what ``measurement_from_observation`` gave."""
    return Measurement(**imported_fields(user_id=user_id, mapped=mapped, origin=origin))


def store_imported_measurement(*, session: Session, user_id: int, mapped: dict, origin: str = "") -> Measurement:
    """Store what ``measurement_from_observation`` gave, once per person, origin and resource."""
    from pgo.measurements.entry import apply_advice, store_once

    measurement = imported_measurement(user_id=user_id, mapped=mapped, origin=origin)
    apply_advice(session=session, measurement=measurement)
    return store_once(session=session, measurement=measurement)[0]
