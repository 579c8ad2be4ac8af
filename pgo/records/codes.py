"""Code systems seen in Dutch and international records, and which coding names a record best."""

from __future__ import annotations

from typing import Any

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ATC = "http://www.whocc.no/atc"
NHG_TABLE_45 = "urn:oid:2.16.840.1.113883.2.4.4.30.45"
NHG_TABLES = "https://referentiemodel.nhg.org/tabellen/"
# G-Standaard (Z-Index), TERMINOLOGY.md section 1: GPK, HPK, ZI-number, PRK, then SNK and SSK (substances).
# 2.16.840.1.113883.2.4.4.11 is the dose-form table (tabel 6), not a product code (issue #15, 2026-12-03).
GPK = "urn:oid:2.16.840.1.113883.2.4.4.1"
HPK = "urn:oid:2.16.840.1.113883.2.4.4.7"
ZI_NUMBER = "urn:oid:2.16.840.1.113883.2.4.4.8"
PRK = "urn:oid:2.16.840.1.113883.2.4.4.10"
SNK = "urn:oid:2.16.840.1.113883.2.4.4.1.750"
SSK = "urn:oid:2.16.840.1.113883.2.4.4.1.725"
G_STANDARD = (GPK, HPK, ZI_NUMBER, PRK, SNK, SSK)
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
# NHG tables arrive as OID or as referentiemodel URI (GP data); both are stored as the OID (TERMINOLOGY.md
# section 1). The URI's last part is matched on the table number: the slug after it varies between publishers.
NHG_TABLE_OIDS = {
    "45": NHG_TABLE_45,
    "45#resultaten": "urn:oid:2.16.840.1.113883.2.4.4.30.1045",
    "25": "urn:oid:2.16.840.1.113883.2.4.4.5",
    "56": "urn:oid:2.16.840.1.113883.2.4.4.30.56",
}


def _nhg_table(text: str) -> str:
    """'https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen' -> the table's OID."""
    rest = text[len(NHG_TABLES) :]
    if not rest.startswith("nhg-tabel-"):
        return text
    path, _hash, fragment = rest.partition("#")
    number = path[len("nhg-tabel-") :].split("-", 1)[0]
    if fragment == "resultaten":
        return NHG_TABLE_OIDS.get(number + "#resultaten", text)
    return NHG_TABLE_OIDS.get(number, text)


def normal_system(system: object) -> str:
    text = str(system or "").strip()
    if text.startswith(NHG_TABLES):
        return _nhg_table(text)
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
