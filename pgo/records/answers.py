"""Coded answers in the reader's language (#16, 2026-12-03): "Never smoker" reads "Nooit gerookt" in Dutch,
"positief" reads "Positive" in English. No Flask.

An Observation's ``valueCodeableConcept`` (and a ``valueString`` or ``valueBoolean`` that is one of these common
answers) is shown from this table when it knows the answer, else as the source wrote it. Codes and their meaning:
- SNOMED CT qualifier values and findings (SNOMED International browser): 10828004 Positive, 260385009 Negative,
  260373001 Detected, 260415000 Not detected, 419984006 Inconclusive, 52101004 Present, 2667000 Absent,
  373066001 Yes, 373067005 No, 261665006 Unknown, 17621005 Normal, 263654008 Abnormal, 260405006 Trace;
  smoking: 266919005 Never smoked tobacco, 8517006 Ex-smoker, 77176002 Smoker, 449868002 Smokes tobacco daily,
  428041000124106 Occasional tobacco smoker, 266927001 Tobacco smoking consumption unknown.
- LOINC answer lists (loinc.org, LL2201-3 and the IPS current-smoking-status value set): LA6576-8 Positive,
  LA6577-6 Negative, LA11882-0 Detected, LA11883-8 Not detected, LA11884-6 Indeterminate, LA9633-4 Present,
  LA9634-2 Absent, LA33-6 Yes, LA32-8 No, LA4489-6 Unknown; LA18976-3 Current every day smoker, LA18977-1
  Current some day smoker, LA15920-4 Former smoker, LA18978-9 Never smoker, LA18979-7 Smoker, current status
  unknown, LA18980-5 Unknown if ever smoked, LA18981-3 Heavy tobacco smoker, LA18982-1 Light tobacco smoker.
- HL7 v3 ObservationInterpretation (POS, NEG, DET, ND, IND, N, A), HL7 v2 table 0136 (Y, N), v3 NullFlavor UNK.
"""

from __future__ import annotations

from typing import Any

from pgo.i18n import _, use_locale

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
V2_YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
# Older system URIs that sources still send for the same code systems.
ALIASES = {"http://hl7.org/fhir/v2/0078": V3_INTERPRETATION, "http://hl7.org/fhir/v2/0136": V2_YES_NO,
           "http://hl7.org/fhir/v3/ObservationInterpretation": V3_INTERPRETATION,
           "http://hl7.org/fhir/v3/NullFlavor": NULL_FLAVOR}  # fmt: skip

CODES = {
    (SNOMED, "10828004"): "positive", (SNOMED, "260385009"): "negative", (SNOMED, "260373001"): "detected",
    (SNOMED, "260415000"): "not_detected", (SNOMED, "419984006"): "inconclusive", (SNOMED, "52101004"): "present",
    (SNOMED, "2667000"): "absent", (SNOMED, "373066001"): "yes", (SNOMED, "373067005"): "no",
    (SNOMED, "261665006"): "unknown", (SNOMED, "17621005"): "normal", (SNOMED, "263654008"): "abnormal",
    (SNOMED, "260405006"): "trace",
    (SNOMED, "266919005"): "never_smoker", (SNOMED, "8517006"): "former_smoker", (SNOMED, "77176002"): "smoker",
    (SNOMED, "449868002"): "daily_smoker", (SNOMED, "428041000124106"): "occasional_smoker",
    (SNOMED, "266927001"): "smoking_unknown",
    (LOINC, "LA6576-8"): "positive", (LOINC, "LA6577-6"): "negative", (LOINC, "LA11882-0"): "detected",
    (LOINC, "LA11883-8"): "not_detected", (LOINC, "LA11884-6"): "inconclusive", (LOINC, "LA9633-4"): "present",
    (LOINC, "LA9634-2"): "absent", (LOINC, "LA33-6"): "yes", (LOINC, "LA32-8"): "no", (LOINC, "LA4489-6"): "unknown",
    (LOINC, "LA18976-3"): "daily_smoker", (LOINC, "LA18977-1"): "occasional_smoker",
    (LOINC, "LA15920-4"): "former_smoker", (LOINC, "LA18978-9"): "never_smoker", (LOINC, "LA18979-7"): "smoker",
    (LOINC, "LA18980-5"): "smoking_unknown", (LOINC, "LA18981-3"): "heavy_smoker",
    (LOINC, "LA18982-1"): "light_smoker",
    (V3_INTERPRETATION, "POS"): "positive", (V3_INTERPRETATION, "NEG"): "negative",
    (V3_INTERPRETATION, "DET"): "detected", (V3_INTERPRETATION, "ND"): "not_detected",
    (V3_INTERPRETATION, "IND"): "inconclusive", (V3_INTERPRETATION, "N"): "normal",
    (V3_INTERPRETATION, "A"): "abnormal",
    (V2_YES_NO, "Y"): "yes", (V2_YES_NO, "N"): "no", (NULL_FLAVOR, "UNK"): "unknown",
}  # fmt: skip


def _words() -> dict[str, str]:
    return {
        "positive": _("Positive"), "negative": _("Negative"), "detected": _("Detected"),
        "not_detected": _("Not detected"), "inconclusive": _("No clear result"), "present": _("Present"),
        "absent": _("Absent"), "yes": _("Yes"), "no": _("No"), "unknown": _("Unknown"), "normal": _("Normal"),
        "abnormal": _("Abnormal"), "trace": _("A trace"),
        "never_smoker": _("Never smoked"), "former_smoker": _("Used to smoke"), "smoker": _("Smokes"),
        "daily_smoker": _("Smokes every day"), "occasional_smoker": _("Smokes now and then"),
        "heavy_smoker": _("Smokes a lot"), "light_smoker": _("Smokes a little"),
        "smoking_unknown": _("Not known whether you smoke"),
    }  # fmt: skip


def _key_of_display(text: str) -> str:
    """The answer a display or free text is, in English or Dutch words as sources write them; "" when unknown."""
    words = {
        "positive": "positive", "positief": "positive", "pos": "positive",
        "negative": "negative", "negatief": "negative", "neg": "negative",
        "detected": "detected", "aangetoond": "detected", "not detected": "not_detected",
        "niet aangetoond": "not_detected", "inconclusive": "inconclusive", "indeterminate": "inconclusive",
        "present": "present", "aanwezig": "present", "absent": "absent", "afwezig": "absent",
        "yes": "yes", "ja": "yes", "no": "no", "nee": "no", "unknown": "unknown", "onbekend": "unknown",
        "normal": "normal", "normaal": "normal", "abnormal": "abnormal", "afwijkend": "abnormal",
        "never smoker": "never_smoker", "never smoked tobacco": "never_smoker", "nooit gerookt": "never_smoker",
        "former smoker": "former_smoker", "ex-smoker": "former_smoker", "ex-roker": "former_smoker",
        "current every day smoker": "daily_smoker", "smokes tobacco daily": "daily_smoker",
        "current some day smoker": "occasional_smoker", "occasional tobacco smoker": "occasional_smoker",
        "smoker": "smoker", "roker": "smoker", "heavy tobacco smoker": "heavy_smoker",
        "light tobacco smoker": "light_smoker", "unknown if ever smoked": "smoking_unknown",
    }  # fmt: skip
    cleaned = " ".join(text.strip().rstrip(".").lower().split())
    for suffix in (" (qualifier value)", " (finding)"):
        cleaned = cleaned.removesuffix(suffix)
    return words.get(cleaned, "")


def answer_codes(concept: Any) -> list[list[str]]:
    """The (system, code) pairs of a valueCodeableConcept that this table knows, for storing with the record."""
    if not isinstance(concept, dict):
        return []
    found = []
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and coding.get("code"):
            system = ALIASES.get(str(coding.get("system") or ""), str(coding.get("system") or ""))
            if (system, str(coding["code"])) in CODES:
                found.append([system, str(coding["code"])])
    return found[:3]


def answer_key(value_text: str, codes: list | None = None) -> str:
    """Which known answer this is: from its stored codes first, else from its words; "" when not known."""
    for pair in codes or []:
        if isinstance(pair, list | tuple) and len(pair) == 2 and (key := CODES.get((pair[0], pair[1]))):
            return key
    return _key_of_display(value_text) if value_text and len(value_text) < 60 else ""


def answer_text(value_text: str, codes: list | None = None, lang: str = "nl") -> str:
    """The answer in the reader's language ("Nooit gerookt", "Positive"); the text as given when not known."""
    key = answer_key(value_text, codes)
    if not key:
        return value_text
    with use_locale(lang):
        return _words()[key]
