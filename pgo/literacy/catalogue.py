"""The explanation catalogue: plain-language texts written by this project, kept as YAML data files.

Entries are keyed by code system URI and code; several codes can share an entry. Each entry holds, in Dutch
and English, at three reading levels: what it is, why it is measured or used, what a high or low value can
mean (for lab results and vital signs), a medicine's side effects and what to ask the care team, plus sources
and a review date. A field written at language level is shared by the levels that do not write their own. Codes
the catalogue does not know get the text of their category (lab result, medicine, ...): never a guess about an
unknown code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pgo.levels import known_level

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"
LANGUAGES = ("nl", "en")
# side_effects: a medicine's common side effects, shown under their own heading, never under "why" (#15, 2026-12-03)
FIELDS = ("what", "why", "high", "low", "side_effects", "ask")
MEASURED_CATEGORIES = ("lab", "vital")
CATEGORIES = (
    "lab", "vital", "observation", "medicine", "vaccination", "problem", "allergy", "procedure", "visit",
    "document", "general",
    # the BgZ sections' texts (#20)
    "alert", "directive", "care-plan", "appointment", "care-team", "device", "nutrition", "functioning", "insurance",
)  # fmt: skip

# Short names used in the data files for the code systems.
SYSTEMS: dict[str, tuple[str, ...]] = {
    "loinc": ("http://loinc.org",),
    "snomed": ("http://snomed.info/sct",),
    "atc": ("http://www.whocc.no/atc",),
    # NHG table 45 under its OID and under the URI GP systems send (TERMINOLOGY.md section 1)
    "nhg45": ("urn:oid:2.16.840.1.113883.2.4.4.30.45",
              "https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen"),
    # G-Standaard (TERMINOLOGY.md section 1; the OIDs were swapped before issue #15, 2026-12-03)
    "gpk": ("urn:oid:2.16.840.1.113883.2.4.4.1",),
    "hpk": ("urn:oid:2.16.840.1.113883.2.4.4.7",),
    "zi": ("urn:oid:2.16.840.1.113883.2.4.4.8",),
    "prk": ("urn:oid:2.16.840.1.113883.2.4.4.10",),
    "snk": ("urn:oid:2.16.840.1.113883.2.4.4.1.750",),
    "ssk": ("urn:oid:2.16.840.1.113883.2.4.4.1.725",),
    "icpc": ("http://hl7.org/fhir/sid/icpc-1-nl", "urn:oid:2.16.840.1.113883.2.4.4.31.1",
             "http://hl7.org/fhir/sid/icpc-2"),
    "icd10nl": ("http://hl7.org/fhir/sid/icd-10-nl",),
    "icd10": ("http://hl7.org/fhir/sid/icd-10",),
    "dsm5": ("http://hl7.org/fhir/sid/dsm5",),
    "dsm4": ("urn:oid:2.16.840.1.113883.6.126",),
    "rxnorm": ("http://www.nlm.nih.gov/research/umls/rxnorm",),
    "cvx": ("http://hl7.org/fhir/sid/cvx",),
    "ndc": ("http://hl7.org/fhir/sid/ndc",),
    "air": ("urn:oid:1.2.36.1.2001.1005.17",),
}  # fmt: skip
ATC = SYSTEMS["atc"][0]
CLASSIFICATIONS = (*SYSTEMS["icpc"], *SYSTEMS["icd10nl"], *SYSTEMS["icd10"])  # a code starts with its category
# libyaml's safe loader when PyYAML has it: the same data, about seven times faster than the pure-Python one
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogueError(ValueError):
    """A data file that does not follow the schema."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    codes: tuple[tuple[str, str], ...]  # (system URI, code)
    texts: dict[str, dict[str, Any]]  # lang -> {"title", "ask", level -> {field: text}}
    sources: tuple[Source, ...]
    reviewed: date | None
    file: str
    fallback_for: str | None = None
    group: bool = False  # a group's text (ATC main group, lab panel, body system): says it is not the item's own
    reviewed_by: str = ""  # who reviewed it (issue #15): `reviewed: {date: 2026-12-03, by: "name, role"}`

    @property
    def measured(self) -> bool:
        return self.category in MEASURED_CATEGORIES and not self.texts.get("no_range")

    def title(self, lang: str) -> str:
        return str(self.texts.get(lang, {}).get("title", ""))

    def text(self, lang: str, level: str, name: str) -> str:
        """The field at this level, else the one written for all levels of the language, else empty."""
        per_lang = self.texts.get(lang, {})
        level_texts = per_lang.get(level) or {}
        value = level_texts.get(name, per_lang.get(name, ""))
        return " ".join(str(value).split()) if value else ""


@dataclass(frozen=True)
class Explanation:
    """What a person reads about one coded item, at their level and in their language."""

    title: str
    what: str
    why: str
    high: str
    low: str
    ask: str
    sources: tuple[Source, ...]
    level: str
    lang: str
    is_fallback: bool
    entry_id: str
    reviewed: date | None
    is_group: bool = False
    reviewed_by: str = ""
    side_effects: str = ""


def parse_code(text: str) -> list[tuple[str, str]]:
    """'loinc:718-7' -> [('http://loinc.org', '718-7')]; a full URI before '|' is accepted too."""
    if "|" in text:
        system, code = text.split("|", 1)
        return [(system.strip(), code.strip())]
    short, _sep, code = text.partition(":")
    if short not in SYSTEMS or not code:
        raise CatalogueError(f"unknown code system in {text!r}")
    return [(system, code.strip()) for system in SYSTEMS[short]]


def _reviewed(value: Any, file: str, entry_id: str) -> tuple[date | None, str]:
    """`reviewed: 2026-12-03`, or with who reviewed it: `reviewed: {date: 2026-12-03, by: "name, role"}`."""
    if isinstance(value, dict):
        on, by = value.get("date"), value.get("by", "")
        if not isinstance(on, date) or not isinstance(by, str) or set(value) - {"date", "by"}:
            raise CatalogueError(f"{file}: {entry_id}: reviewed takes 'date' and 'by' (who), nothing else")
        return on, by.strip()
    return (value if isinstance(value, date) else None), ""


def _entry(raw: dict, file: str) -> Entry:
    if not isinstance(raw, dict) or "id" not in raw:
        raise CatalogueError(f"{file}: an entry without an id")
    codes = tuple(pair for text in raw.get("codes", []) for pair in parse_code(str(text)))
    texts = {lang: raw.get(lang) or {} for lang in LANGUAGES}
    texts["no_range"] = bool(raw.get("no_range", False))
    sources = tuple(Source(str(s.get("title", "")), str(s.get("url", ""))) for s in raw.get("sources", []) or [])
    reviewed, reviewed_by = _reviewed(raw.get("reviewed"), file, str(raw["id"]))
    return Entry(
        id=str(raw["id"]),
        category=str(raw.get("category", raw.get("fallback_for", ""))),
        codes=codes,
        texts=texts,
        sources=sources,
        reviewed=reviewed,
        reviewed_by=reviewed_by,
        file=file,
        fallback_for=raw.get("fallback_for"),
        group=bool(raw.get("group", False)),
    )


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[Entry, ...]
    by_code: dict[tuple[str, str], Entry]
    fallbacks: dict[str, Entry]
    exclusions: dict[tuple[str, str], str]  # codes deliberately not explained, with the reason
    by_id: dict[str, Entry]

    def find(self, system: str, code: str) -> Entry | None:
        """The entry for a code; ATC codes also match the entry of their group (C10AA05 -> C10AA). An entry of its
        own on any level wins over a group's text on a lower level (N02AB03 -> the opioids' N02A entry, not the
        N02AB group's text, issue #15)."""
        entry = self.by_code.get((system, code))
        if entry is None and system in CLASSIFICATIONS:
            return self._broader(system, code)
        if system != ATC or (entry is not None and not entry.group):
            return entry
        group = entry
        for length in range(len(code) - 1, 0, -1):
            found = self.by_code.get((system, code[:length]))
            if found is not None and not found.group:
                return found
            group = group or found
        return group

    def _broader(self, system: str, code: str) -> Entry | None:
        """ICPC and ICD-10 are classifications: a code's first characters are its broader category, which says
        the same thing less exactly (ICPC-1 NL K86.01 is K86, ICD-10 E11.65 and E1165 are E11). The nearest
        category with an entry (never shorter than the three-character category)."""
        plain = code.strip().upper()
        for length in range(len(plain) - 1, 2, -1):
            found = self.by_code.get((system, plain[:length].rstrip(".")))
            if found is not None:
                return found
        return None


def load(folder: Path = CATALOGUE_DIR) -> Catalogue:
    entries: list[Entry] = []
    exclusions: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []  # noqa: S506  (a safe loader)
        if path.name == "exclusions.yaml":
            for item in data:
                for pair in parse_code(str(item["code"])):
                    exclusions[pair] = str(item["reason"])
            continue
        entries.extend(_entry(raw, path.name) for raw in data)
    from pgo.literacy.atc_groups import group_entries

    entries.extend(group_entries(folder, {pair for entry in entries for pair in entry.codes}))
    by_code: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        for pair in entry.codes:
            if pair in by_code:
                raise CatalogueError(f"{pair} is in both {by_code[pair].id} and {entry.id}")
            by_code[pair] = entry
    fallbacks = {e.fallback_for: e for e in entries if e.fallback_for}
    by_id: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in by_id:
            raise CatalogueError(f"the id {entry.id} is in both {by_id[entry.id].file} and {entry.file}")
        by_id[entry.id] = entry
    return Catalogue(tuple(entries), by_code, fallbacks, exclusions, by_id)


@cache
def default_catalogue() -> Catalogue:
    return load()


def _pairs(codings: Iterable[Any]) -> Iterable[tuple[str, str]]:
    for coding in codings:
        if isinstance(coding, tuple):
            yield coding[0], coding[1]
        elif isinstance(coding, dict):
            yield coding.get("system", ""), coding.get("code", "")
        else:
            yield getattr(coding, "system", ""), getattr(coding, "code", "")


def explain(
    codings: Iterable[Any], category: str, level: str = "standard", lang: str = "nl",
    *, catalogue: Catalogue | None = None, concept: str = "",
) -> Explanation:  # fmt: skip
    """The explanation of ``concept`` (the entry id recognised at import, issue #15) when the catalogue still has
    it, else of the first coding the catalogue knows, else the text for its category.

    `codings` are (system, code) pairs, dicts or objects with `system` and `code`.
    """
    cat = catalogue or default_catalogue()
    level = known_level(level)
    lang = lang if lang in LANGUAGES else "nl"
    entry = cat.by_id.get(concept) if concept else None
    if entry is None or entry.fallback_for:
        entry = next((found for s, c in _pairs(codings) if (found := cat.find(s, c))), None)
    is_fallback = entry is None
    if entry is None:
        entry = cat.fallbacks.get(category) or cat.fallbacks["general"]
    return Explanation(
        title=entry.title(lang),
        sources=entry.sources,
        level=level,
        lang=lang,
        is_fallback=is_fallback,
        entry_id=entry.id,
        reviewed=entry.reviewed,
        reviewed_by=entry.reviewed_by,
        is_group=entry.group,
        **{name: entry.text(lang, level, name) for name in FIELDS},
    )


@dataclass(frozen=True)
class CoverageReport:
    total: int
    covered: tuple[tuple[str, str], ...]
    excluded: tuple[tuple[str, str, str], ...]  # system, code, reason
    missing: tuple[tuple[str, str], ...]

    @property
    def fraction(self) -> float:
        return len(self.covered) / self.total if self.total else 1.0


def coverage(codes: Iterable[tuple[str, str]], *, catalogue: Catalogue | None = None) -> CoverageReport:
    """Which imported codes have their own entry, which are deliberately left to the fallback, which miss one."""
    cat = catalogue or default_catalogue()
    covered, excluded, missing = [], [], []
    unique = sorted(set(codes))
    for system, code in unique:
        if cat.find(system, code):
            covered.append((system, code))
        elif (system, code) in cat.exclusions:
            excluded.append((system, code, cat.exclusions[(system, code)]))
        else:
            missing.append((system, code))
    return CoverageReport(len(unique), tuple(covered), tuple(excluded), tuple(missing))
