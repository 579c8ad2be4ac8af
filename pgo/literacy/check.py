"""`pgo catalogue check` as a function: every entry complete, every simple and standard text through the gate."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pgo.levels import LEVELS
from pgo.literacy import readability
from pgo.literacy.catalogue import (
    CATEGORIES,
    FIELDS,
    LANGUAGES,
    Catalogue,
    CoverageReport,
    Entry,
    coverage,
)  # fmt: skip

GATED_LEVELS = ("simple", "standard")
FALLBACK_CATEGORIES = ("lab", "vital", "medicine", "vaccination", "problem", "allergy", "procedure", "visit",
                       "document", "general")  # fmt: skip


@dataclass(frozen=True)
class LevelResult:
    entry_id: str
    lang: str
    level: str
    scores: readability.Readability
    problems: tuple[readability.Problem, ...]


@dataclass
class CatalogueCheck:
    results: list[LevelResult] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    coverage: CoverageReport | None = None

    @property
    def failures(self) -> int:
        return sum(1 for r in self.results if r.problems) + len(self.missing_fields)

    @property
    def ok(self) -> bool:
        return self.failures == 0


OPTIONAL_FIELDS = ("side_effects",)  # gated when written; medicine entries before #15 part 3 have none


def required_fields(entry: Entry) -> tuple[str, ...]:
    left_out = OPTIONAL_FIELDS if entry.measured else ("high", "low", *OPTIONAL_FIELDS)
    return tuple(f for f in FIELDS if f not in left_out)


def _missing(entry: Entry) -> list[str]:
    found = []
    if entry.category not in CATEGORIES:
        found.append(f"{entry.id}: unknown category {entry.category!r}")
    if not entry.codes and not entry.fallback_for and not entry.group:
        found.append(f"{entry.id}: no codes")
    if entry.reviewed is None:
        found.append(f"{entry.id}: no review date")
    if not entry.sources or any(not s.title or not s.url.startswith("https://") for s in entry.sources):
        found.append(f"{entry.id}: sources need a title and an https URL")
    for lang in LANGUAGES:
        if not entry.title(lang):
            found.append(f"{entry.id} [{lang}]: no title")
        for level in LEVELS:
            for name in required_fields(entry):
                if not entry.text(lang, level, name):
                    found.append(f"{entry.id} [{lang}/{level}]: no {name!r}")
    return found


def level_text(entry: Entry, lang: str, level: str) -> str:
    """All the fields a person reads at this level, one paragraph each."""
    return "\n".join(t for name in FIELDS if (t := entry.text(lang, level, name)))


def check_entry(entry: Entry) -> tuple[list[LevelResult], list[str]]:
    results = []
    for lang in LANGUAGES:
        for level in LEVELS:
            text = level_text(entry, lang, level)
            if not text:
                continue
            problems = readability.check(text, lang, level) if level in GATED_LEVELS else []
            results.append(LevelResult(entry.id, lang, level, readability.score(text, lang), tuple(problems)))
    return results, _missing(entry)


def check_catalogue(catalogue: Catalogue, fixture_codes: Iterable[tuple[str, str]] = ()) -> CatalogueCheck:
    outcome = CatalogueCheck()
    for entry in catalogue.entries:
        results, missing = check_entry(entry)
        outcome.results.extend(results)
        outcome.missing_fields.extend(missing)
    for category in FALLBACK_CATEGORIES:
        if category not in catalogue.fallbacks:
            outcome.missing_fields.append(f"no fallback for category {category!r}")
    ids = [e.id for e in catalogue.entries]
    outcome.missing_fields.extend(f"duplicate id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1}))
    outcome.missing_fields.extend(f"bad id {i!r}" for i in ids if not re.fullmatch(r"[a-z0-9-]+", i))
    outcome.coverage = coverage(fixture_codes, catalogue=catalogue)
    return outcome
