"""Which catalogue concept a record is, found once at import (issue #15, 2026-12-03).

A record is recognised, in this order, by
1. ``code``: one of its codes has an entry (an ATC code also matches the entry of its group: C09AA03 -> C09AA);
2. ``equivalent``: a code of another system means the same (NHG table 45 -> LOINC, lab-tests.tsv);
3. ``name``: its text or a coding's display names a known substance, brand or lab test (recognition_names.py);
4. ``group``: its code or name places it in a group with a text of its own (ATC main group, lab panel, body
   system of an ICD-10, ICPC or DSM code, or of a word in a problem's name; groups.yaml).
What none of these recognises gets the generic text of its category (``how`` is empty). A group text says it is a
group text, and ``how`` lets a page say how the record was recognised: never a guess shown as certain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from pgo.literacy import catalogue as cat_module
from pgo.literacy.recognition_names import NameTables, name_tables

LEVEL_CONCEPT, LEVEL_GROUP, LEVEL_GENERIC = "concept", "group", "generic"
HOW = ("code", "equivalent", "name", "group")
ICPC = cat_module.SYSTEMS["icpc"]
ICD10 = cat_module.SYSTEMS["icd10nl"] + cat_module.SYSTEMS["icd10"]
MENTAL = cat_module.SYSTEMS["dsm5"] + cat_module.SYSTEMS["dsm4"] + ("urn:oid:2.16.840.1.113883.3.3210.14.2.2.35",)
LOINC = cat_module.SYSTEMS["loinc"][0]
NHG45 = cat_module.SYSTEMS["nhg45"]
# The record's category (and a result's kind) -> the catalogue's category
RECORD_CATEGORY = {
    "medication": "medicine", "problem": "problem", "allergy": "allergy", "vaccination": "vaccination",
    "procedure": "procedure", "visit": "visit", "document": "document", "report": "lab",
}  # fmt: skip
_CODING = itemgetter("system", "code", "display")
NAMED_CATEGORIES = {"medicine": "substances", "vaccination": "substances", "lab": "labs", "vital": "labs"}


def catalogue_category(category: str, kind: str = "") -> str:
    """'result' with kind 'lab' -> 'lab'; 'medication' -> 'medicine'; anything unknown -> 'general'."""
    if category == "result":
        return kind if kind in ("lab", "vital") else "observation"
    return RECORD_CATEGORY.get(category, "general")


@dataclass(frozen=True)
class Recognition:
    entry_id: str  # the catalogue entry that explains the record: its own, its group's, or the category's text
    how: str  # "code", "equivalent", "name", "group", or "" when only the category's text fits
    level: str  # "concept", "group" or "generic"


def _found(entry: cat_module.Entry, how: str) -> Recognition:
    if entry.group:
        return Recognition(entry.id, how if how != "code" else "group", LEVEL_GROUP)
    return Recognition(entry.id, how, LEVEL_CONCEPT)


def _problem_group(system: str, code: str, tables: NameTables) -> str:
    """The body-system group of an ICPC, ICD-10 or DSM code, or ''."""
    if system in ICPC:
        return code[:1].upper()
    if system in MENTAL:
        return "P"
    if system in ICD10:
        return tables.icd10_group(code)
    return ""


def _by_codes(pairs: list[tuple[str, str]], cat: cat_module.Catalogue, tables: NameTables) -> Recognition | None:
    group: Recognition | None = None
    for system, code in pairs:
        entry = cat.find(system, code)
        if entry is not None:
            if not entry.group:
                return _found(entry, "code")
            group = group or _found(entry, "code")
    for system, code in pairs:
        if system in NHG45 and (loinc := tables.nhg45.get(code)):
            entry = cat.find(LOINC, loinc)
            if entry is not None:
                return _found(entry, "equivalent")
    return group


def _groups_of_codes(pairs: list[tuple[str, str]], cat: cat_module.Catalogue, tables: NameTables) -> str:
    for system, code in pairs:
        letter = _problem_group(system, code, tables)
        if letter and f"group-problem-{letter.lower()}" in cat.by_id:
            return f"group-problem-{letter.lower()}"
        panel = tables.lab_panels.get(code) if system == LOINC else None
        if system in NHG45 and code in tables.nhg45:
            panel = tables.lab_panels.get(tables.nhg45[code])
        if panel and f"group-lab-{panel}" in cat.by_id:
            return f"group-lab-{panel}"
    return ""


def _by_name(texts: Iterable[str], category: str, cat: cat_module.Catalogue, tables: NameTables) -> Recognition | None:
    table = NAMED_CATEGORIES.get(category)
    if table is None:
        return None
    for text in texts:
        if table == "substances":
            atc = tables.substance(text)
            entry = cat.find(cat_module.ATC, atc) if atc else None
            if entry is not None:
                return _found(entry, "name")
        else:
            loinc = tables.lab(text)
            if loinc is None:
                continue
            entry = cat.find(LOINC, loinc)
            if entry is not None:
                return _found(entry, "name")
            panel = tables.lab_panels.get(loinc)
            if panel and (group := cat.by_id.get(f"group-lab-{panel}")):
                return Recognition(group.id, "group", LEVEL_GROUP)
    return None


def recognise(
    codings: Iterable[tuple[str, str, str]], text: str, category: str, *, catalogue: cat_module.Catalogue | None = None
) -> Recognition:
    """The concept of a record from its (system, code, display) codings, its text and its catalogue category."""
    key = (tuple(codings), text, category)
    if catalogue is None:
        return _recognise_cached(*key)
    return _recognise(*key, catalogue, name_tables())


@lru_cache(maxsize=20_000)  # an import repeats the same test and medicine many times
def _recognise_cached(codings: tuple[tuple[str, str, str], ...], text: str, category: str) -> Recognition:
    return _recognise(codings, text, category, cat_module.default_catalogue(), name_tables())


def _recognise(
    codings: tuple[tuple[str, str, str], ...], text: str, category: str, cat: cat_module.Catalogue, tables: NameTables
) -> Recognition:
    pairs = [(system, code) for system, code, _display in codings]
    found = _by_codes(pairs, cat, tables)
    if found is not None and found.level == LEVEL_CONCEPT:
        return found
    named = _by_name([text, *(display for _s, _c, display in codings)], category, cat, tables)
    if named is not None and (named.level == LEVEL_CONCEPT or found is None):
        return named
    if found is not None:
        return found
    group = _groups_of_codes(pairs, cat, tables)
    if group:
        return Recognition(group, "group", LEVEL_GROUP)
    names = (text, *(display for _s, _c, display in codings))
    if category == "problem":
        for name in names:
            letter = tables.problem_group(name)
            if letter and (entry := cat.by_id.get(f"group-problem-{letter.lower()}")):
                return Recognition(entry.id, "name", LEVEL_GROUP)
    if category == "allergy":
        for name in names:
            allergen = tables.allergen_group(name)
            if allergen and (entry := cat.by_id.get(f"group-allergy-{allergen}")):
                return Recognition(entry.id, "name", LEVEL_GROUP)
    fallback = cat.fallbacks.get(category) or cat.fallbacks["general"]
    return Recognition(fallback.id, "", LEVEL_GENERIC)


def recognise_record(category: str, kind: str, codings: Iterable[dict[str, str]], title: str) -> Recognition:
    """The concept of an imported record: its category (and a result's kind), its codings as dicts, its title."""
    found = tuple(map(_CODING, codings))  # the import's codings always have the three keys (codes.codings)
    return _recognise_cached(found, title, catalogue_category(category, kind))
