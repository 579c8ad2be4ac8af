"""Observations: lab results (value, reference range, interpretation), vital signs (blood pressure with its
systolic/diastolic components), text results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pgo import quantities
from pgo.records import codes, ranges
from pgo.records.answers import answer_codes

if TYPE_CHECKING:
    from pgo.records.normalise import Normalised, Resolver

SYSTOLIC = "8480-6"
DIASTOLIC = "8462-4"
BLOOD_PRESSURE_PANELS = frozenset({"85354-9", "55284-4", "35094-2"})
_VITAL_CODES = frozenset({"vital-signs", "46680005"})
_LAB_CODES = frozenset({"laboratory", "49581000146104", "275711006"})


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def quantity(value: Any) -> tuple[float | None, str, str]:
    """(number, comparator, unit) of a Quantity."""
    if not isinstance(value, dict):
        return None, "", ""
    unit = value.get("unit") or value.get("code") or ""
    return number(value.get("value")), str(value.get("comparator") or ""), str(unit)


def value_of(holder: dict) -> tuple[str, float | None, str, str]:
    """(text, number, comparator, unit) of an Observation's or a component's value[x]."""
    if "valueQuantity" in holder:
        num, comparator, unit = quantity(holder["valueQuantity"])
        return f"{comparator}{format_number(num)}", num, comparator, unit
    if "valueCodeableConcept" in holder:
        return codes.concept_text(holder["valueCodeableConcept"]), None, "", ""
    if "valueString" in holder:
        return str(holder["valueString"])[:2000], None, "", ""
    if "valueBoolean" in holder:
        return ("yes" if holder["valueBoolean"] else "no"), None, "", ""
    if "valueInteger" in holder:
        num = number(holder["valueInteger"])
        return format_number(num), num, "", ""
    if "valueRange" in holder:
        low, _c, unit = quantity(holder["valueRange"].get("low"))
        high, _c, unit2 = quantity(holder["valueRange"].get("high"))
        return f"{format_number(low)}-{format_number(high)}", None, "", unit or unit2
    for key in ("valueDateTime", "valueTime", "valuePeriod"):
        if key in holder:
            return str(holder[key])[:100], None, "", ""
    return "", None, "", ""


def codes_of(concept: Any) -> list[str]:
    """The codes of ``codes.codings(concept)``, in order, without making the rest of each coding (its normalised
    system and display): categories and interpretations of every Observation of an import need only the codes."""
    if not isinstance(concept, dict):
        return []
    items = concept.get("coding") if "coding" in concept else [concept]  # a bare Coding; without code, none
    return [
        str(coding.get("code")).strip()
        for coding in (items if isinstance(items, list) else ())
        if isinstance(coding, dict) and coding.get("code") not in (None, "")
    ]


def _category_codes(resource: dict) -> set[str]:
    found: set[str] = set()
    categories = resource.get("category") or []
    for concept in categories if isinstance(categories, list) else [categories]:
        found.update(codes_of(concept))
    return found


def _interpretation_code(resource: dict) -> str:
    """The lab's own interpretation code: the first one ``ranges`` knows, upper case ("" without one)."""
    interpretations = resource.get("interpretation") or []
    for concept in interpretations if isinstance(interpretations, list) else [interpretations]:
        for found in codes_of(concept):
            if ranges.code_status(found) is not None:
                return found.strip().upper()
    return ""


def _converted(limit: float | None, factor: float) -> float | None:
    """A limit in the value's unit, without the float noise of the factor: 0.5 mmol/L is 500 umol/L, not
    500.00000000000006, which flagged a value of exactly 500 as low (#23, 2026-12-03)."""
    return None if limit is None else float(f"{limit * factor:.12g}")


def _reference_range(resource: dict, result: Normalised) -> None:
    ranges = resource.get("referenceRange") or []
    first = ranges[0] if isinstance(ranges, list) and ranges and isinstance(ranges[0], dict) else None
    if first is None:
        return
    result.ref_low, _c, low_unit = quantity(first.get("low"))
    result.ref_high, _c, high_unit = quantity(first.get("high"))
    result.ref_text = str(first.get("text") or "")[:300]
    range_unit = low_unit or high_unit
    if not result.unit:
        result.unit = range_unit
    elif range_unit and range_unit.strip().lower() != result.unit.strip().lower():
        # #16: a range in other units is converted when the units measure the same thing (umol/L -> mmol/L);
        # otherwise it is shown as the lab gave it and not compared with the value
        factor = quantities.conversion_factor(range_unit, result.unit)
        if factor is None:
            result.details["range_unit"] = range_unit
            result.details["range_unit_differs"] = True
        else:
            result.ref_low = _converted(result.ref_low, factor)
            result.ref_high = _converted(result.ref_high, factor)
            result.details["range_converted_from"] = range_unit


def _components(resource: dict, result: Normalised) -> None:
    components = resource.get("component")
    if not components:
        return
    parts = []
    for component in components:
        if not isinstance(component, dict):
            continue
        found = codes.codings(component.get("code"))
        text, num, comparator, unit = value_of(component)
        parts.append(
            {
                "codes": [c["code"] for c in found],
                "title": codes.concept_text(component.get("code")),
                "value": text,
                "number": num,
                "unit": unit,
            }
        )
        result.codings.extend(c for c in found if c not in result.codings)
    if parts:
        result.details["components"] = parts
    systolic = next((p for p in parts if SYSTOLIC in p["codes"]), None)
    diastolic = next((p for p in parts if DIASTOLIC in p["codes"]), None)
    if systolic and diastolic and not result.value_text:
        result.value_text = f"{systolic['value']}/{diastolic['value']}"
        result.value_num = systolic["number"]
        result.unit = systolic["unit"] or diastolic["unit"]
        result.details["blood_pressure"] = {"systolic": systolic["number"], "diastolic": diastolic["number"]}


def observation(resource: dict, result: Normalised, _resolve: Resolver | None) -> None:
    category_codes = _category_codes(resource)
    code_values = {c["code"] for c in result.codings}
    if category_codes & _VITAL_CODES or code_values & BLOOD_PRESSURE_PANELS:
        kind = "vital"
    elif category_codes & _LAB_CODES:
        kind = "lab"
    elif "valueString" in resource:
        kind = "text"
    else:
        kind = "other"
    result.details["kind"] = kind
    result.value_text, result.value_num, result.comparator, result.unit = value_of(resource)
    if found := answer_codes(resource.get("valueCodeableConcept")):
        result.details["answer"] = found  # shown in the reader's language (#16)
    _components(resource, result)
    _reference_range(resource, result)
    code = _interpretation_code(resource)
    result.details["interpretation"] = code
    judgement = ranges.judge(
        result.value_num,
        low=result.ref_low,
        high=result.ref_high,
        code=code or None,
        comparator=result.comparator,
        units_differ=bool(result.details.get("range_unit_differs")),
    )
    result.flag = judgement.flag
