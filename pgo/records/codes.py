"""Code systems seen in Dutch and international records, and which coding names a record best."""

from __future__ import annotations

from typing import Any

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ATC = "http://www.whocc.no/atc"
NHG_TABLE_45 = "urn:oid:2.16.840.1.113883.2.4.4.30.45"
# G-Standaard (Z-Index): GPK, PRK, HPK, ZI-number, SSK.
G_STANDARD = (
    "urn:oid:2.16.840.1.113883.2.4.4.1",
    "urn:oid:2.16.840.1.113883.2.4.4.7",
    "urn:oid:2.16.840.1.113883.2.4.4.8",
    "urn:oid:2.16.840.1.113883.2.4.4.10",
    "urn:oid:2.16.840.1.113883.2.4.4.11",
)
CVX = "http://hl7.org/fhir/sid/cvx"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"

# The first system found in this order names the record and groups repeats of the same test.
_PREFERENCE = (LOINC, SNOMED, *G_STANDARD, ATC, NHG_TABLE_45, CVX, RXNORM)

SYSTEM_ALIASES = {
    "urn:oid:2.16.840.1.113883.6.1": LOINC,
    "urn:oid:2.16.840.1.113883.6.96": SNOMED,
    "urn:oid:2.16.840.1.113883.6.73": ATC,
    "http://www.whocc.no/atc/": ATC,
    "urn:oid:2.16.840.1.113883.6.8": UCUM,
}


def normal_system(system: object) -> str:
    text = str(system or "").strip()
    return SYSTEM_ALIASES.get(text, text)


def codings(concept: Any) -> list[dict[str, str]]:
    """Every coding of a CodeableConcept (or a bare Coding) as {system, code, display}."""
    if not isinstance(concept, dict):
        return []
    items = concept.get("coding") if "coding" in concept else [concept] if "code" in concept else []
    found = []
    for coding in items if isinstance(items, list) else []:
        if isinstance(coding, dict) and coding.get("code") not in (None, ""):
            found.append(
                {
                    "system": normal_system(coding.get("system")),
                    "code": str(coding.get("code")).strip(),
                    "display": str(coding.get("display") or ""),
                }
            )
    return found


def main_coding(found: list[dict[str, str]]) -> dict[str, str] | None:
    for system in _PREFERENCE:
        for coding in found:
            if coding["system"] == system:
                return coding
    return found[0] if found else None


def concept_text(concept: Any) -> str:
    """What a concept is called: its text, else the display of its best coding, else the code."""
    if not isinstance(concept, dict):
        return ""
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return concept["text"].strip()
    found = codings(concept)
    best = main_coding(found)
    for coding in ([best] if best else []) + found:
        if coding["display"]:
            return coding["display"]
    return best["code"] if best else ""
