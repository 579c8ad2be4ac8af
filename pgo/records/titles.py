"""Names people read (#16, 2026-12-03): the title of a record in the page's language, readable.

``record_title`` prefers the explanation catalogue's title in the reader's language (so a Dutch page says
"Natrium", not "Sodium [Moles/volume] in Serum or Plasma"), else the display in the data, cleaned: LOINC's
fully-specified-name syntax ("Lichaamslengte [lengte] in ^patiënt", "Sodium:SCnc:Pt:Ser/Plas:Qn") cut back to its
component, and shouting G-Standaard names ("CAPECITABINE 500MG TABLET") in sentence case with the unit written
as people do ("Capecitabine 500 mg tablet"). Medicines keep their product name (strength and form matter).
The original display stays on the record's codings ("all details"). No Flask.
"""

from __future__ import annotations

import re

from pgo.literacy import catalogue

_FSN_PARTS = re.compile(r"\s*\[[^\]]*\]")  # "[lengte]", "[Moles/volume]"
_FSN_SYSTEM = re.compile(r"\s+(?:in|of|op|van|door|by)\s+\^?[^\s]*\^.*$|\s+(?:in|op)\s+\^\S+.*$")
_UNIT_AFTER_NUMBER = re.compile(r"(\d)\s*(MG|MCG|UG|G|ML|L|IE|E|MMOL|MICROGRAM|MG/ML|MG/G|%)\b", re.IGNORECASE)
_KEEP_UPPER = {"HIV", "COPD", "DNA", "RNA", "HPV", "ACE", "ATC", "INR", "HB", "CRP", "LDL", "HDL", "BMI", "NSAID"}
_SALTS = {"HCL": "HCl", "HBR": "HBr"}
_UNITS = {"MCG": "microgram", "UG": "µg", "IE": "IE", "E": "E"}


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _sentence_case(text: str) -> str:
    words = []
    for word in text.split():
        bare = word.strip("(),")
        words.append(word if bare in _KEEP_UPPER else _SALTS.get(bare, word.lower()))
    shown = " ".join(words)
    shown = _UNIT_AFTER_NUMBER.sub(
        lambda m: f"{m.group(1)} {_UNITS.get(m.group(2).upper(), m.group(2).lower())}", shown
    )
    return shown[:1].upper() + shown[1:]


def readable(title: str) -> str:
    """A display as people read it: no LOINC name syntax, no shouting."""
    text = " ".join((title or "").split())
    if not text:
        return ""
    if text.count(":") >= 3:  # LOINC's five-part name: the component is what people know
        text = text.split(":", 1)[0]
    if "^" in text or "[" in text:
        text = _FSN_SYSTEM.sub("", _FSN_PARTS.sub("", text)).replace("^", "").strip(" ,")
    if _shouting(text):
        text = _sentence_case(text)
    return text or " ".join(title.split())


def catalogue_title(code_key: str, lang: str) -> str:
    """The catalogue's title of the record's main code in ``lang``, or ''."""
    system, _bar, code = (code_key or "").partition("|")
    if not code:
        return ""
    entry = catalogue.default_catalogue().find(system, code)
    return entry.title(lang) if entry is not None else ""


def record_title(title: str, code_key: str, category: str, lang: str) -> str:
    """The title a person reads: see the module's text."""
    if category != "medication" and (known := catalogue_title(code_key, lang)):
        return known
    return readable(title)


# Words that mark a display as English or as Dutch, for ``lang`` on a title in the other language (#16): function
# words and the commonest words of lab and vital-sign names in each language that the other does not use.
_ENGLISH = {"of", "and", "the", "by", "for", "with", "blood", "body", "level", "count", "status", "total", "rate",
            "pressure", "weight", "height", "smoking", "tobacco", "low", "high", "density", "heart", "mass",
            "volume", "moles", "arterial", "systolic", "diastolic", "temperature", "oxygen", "saturation", "score",
            "cell", "cells", "white", "red", "platelets", "panel", "urine", "serum", "plasma"}  # fmt: skip
_DUTCH = {"van", "en", "het", "bij", "met", "voor", "op", "bloed", "bloeddruk", "lichaamsgewicht", "lengte",
          "gewicht", "hartfrequentie", "lichaamstemperatuur", "totaal", "rookgedrag", "cholesterol-ldl", "laag",
          "hoog", "witte", "rode", "bloedcellen", "bloedplaatjes"}  # fmt: skip
_DUTCH_SPELLING = re.compile(r"ij|aa|uu|oe|sch|ui|eeu|heid|ë|ï", re.IGNORECASE)


def title_language(title: str, code_key: str, category: str, lang: str) -> str:
    """The language the shown title is in: the page's for a catalogue title and for names without clear marks
    (medicines, "Natrium"), else the language whose marks the words carry."""
    if category == "medication" or catalogue_title(code_key, lang):
        return lang
    words = re.findall(r"[^\W\d_]+", title.lower())
    english = sum(word in _ENGLISH for word in words)
    dutch = sum(word in _DUTCH for word in words) + sum(bool(_DUTCH_SPELLING.search(word)) for word in words)
    if english > dutch:
        return "en"
    if dutch > english:
        return "nl"
    return lang
