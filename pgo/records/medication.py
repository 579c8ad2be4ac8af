"""Medication: which MedMij building block a resource is, and its dose in words."""

from __future__ import annotations

from typing import Any

from pgo.i18n import _
from pgo.records.versions import profiles

_KIND_BY_PROFILE = (
    ("MedicationUse", "use"),
    ("MedicationAgreement", "agreement"),
    ("AdministrationAgreement", "administration_agreement"),
    ("DispenseToPatient", "dispense"),
    ("MedicationAdministration", "administration"),
)
_KIND_BY_TYPE = {
    "MedicationStatement": "use",
    "MedicationRequest": "agreement",
    "MedicationDispense": "dispense",
    "MedicationAdministration": "administration",
}


def medication_kind(resource: dict) -> str:
    """'use' (MedicationUse), 'agreement' (MedicationAgreement), 'administration_agreement', 'dispense' ..."""
    for profile in profiles(resource):
        for marker, kind in _KIND_BY_PROFILE:
            if marker.lower() in profile.lower():
                return kind
    return _KIND_BY_TYPE.get(str(resource.get("resourceType")), "use")


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value) if value is not None else ""


def _dose_quantity(dosage: dict) -> str:
    quantity = dosage.get("doseQuantity")
    rates = dosage.get("doseAndRate")
    if quantity is None and isinstance(rates, list) and rates and isinstance(rates[0], dict):
        quantity = rates[0].get("doseQuantity") or rates[0].get("doseRange", {}).get("low")
    if not isinstance(quantity, dict):
        return ""
    unit = quantity.get("unit") or quantity.get("code") or ""
    return f"{_number(quantity.get('value'))} {unit}".strip()


def _period_word(unit: str, period: Any) -> str:
    words = {
        "h": _("an hour"),
        "d": _("a day"),
        "wk": _("a week"),
        "mo": _("a month"),
        "a": _("a year"),
    }
    if period in (None, 1, 1.0, "1"):
        return words.get(unit, "")
    return _("every %(period)s %(unit)s", period=period, unit=unit)


def _schedule(dosage: dict) -> dict[str, str]:
    timing = dosage.get("timing")
    repeat = timing.get("repeat") if isinstance(timing, dict) else None
    if not isinstance(repeat, dict) or "periodUnit" not in repeat:
        return {}
    return {
        "count": _number(repeat.get("frequency") or 1),
        "period": _number(repeat.get("period") or 1),
        "period_unit": str(repeat.get("periodUnit")),
    }


def dose_parts(dosages: list[Any]) -> list[dict[str, Any]]:
    """The dose as data (stored), so that it can be put in words in the reader's language later."""
    parts = []
    for dosage in dosages:
        if not isinstance(dosage, dict):
            continue
        if isinstance(dosage.get("text"), str) and dosage["text"].strip():
            parts.append({"text": dosage["text"].strip()[:500]})
            continue
        part: dict[str, Any] = {"dose": _dose_quantity(dosage), **_schedule(dosage)}
        if dosage.get("asNeededBoolean"):
            part["as_needed"] = True
        if part.get("dose") or part.get("count"):
            parts.append(part)
    return parts


def dose_in_words(parts: list[dict[str, Any]]) -> str:
    """'2 tablets, 3 times a day'; the prescriber's own text when there is one."""
    texts = []
    for part in parts:
        if part.get("text"):
            texts.append(part["text"])
            continue
        words = [part["dose"]] if part.get("dose") else []
        per = _period_word(part.get("period_unit", ""), part.get("period")) if part.get("count") else ""
        if per:
            words.append(_("%(count)s times %(per)s", count=part["count"], per=per))
        if part.get("as_needed"):
            words.append(_("when needed"))
        texts.append(", ".join(words))
    return "; ".join(t for t in texts if t)
