"""`pgo catalogue coverage`: how the clinical resources of FHIR files would be explained (issue #15, 2026-12-03).

The files are read and normalised as the import does, nothing is stored. Each clinical resource (a lab or
vital-sign Observation, Medication, MedicationStatement/Request/Dispense/Administration, Condition, Immunization,
AllergyIntolerance, Procedure) is counted as explained by its own ``concept``, by its ``group``, by the
``generic`` text of its category, or ``none`` (no code and no text: nothing to recognise).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgo.literacy.recognition import LEVEL_CONCEPT, LEVEL_GENERIC, LEVEL_GROUP, recognise_record
from pgo.records import codes
from pgo.records.fhir_files import RefusedFile, files_in, read_source
from pgo.records.normalise import normalise

KINDS = (LEVEL_CONCEPT, LEVEL_GROUP, LEVEL_GENERIC, "none")
CLINICAL_TYPES = frozenset(
    {"Medication", "MedicationStatement", "MedicationRequest", "MedicationDispense", "MedicationAdministration",
     "Condition", "Immunization", "AllergyIntolerance", "Procedure"}
)  # fmt: skip


@dataclass
class Coverage:
    counts: Counter = field(default_factory=Counter)
    by_type: dict[str, Counter] = field(default_factory=dict)
    unexplained: Counter = field(default_factory=Counter)  # (system, code, display) -> count
    refused: list[str] = field(default_factory=list)

    @property
    def resources(self) -> int:
        return sum(self.counts[k] for k in KINDS)

    def share(self, *kinds: str) -> float:
        return sum(self.counts[k] for k in kinds) / self.resources if self.resources else 1.0

    def add(self, resource_type: str, kind: str, unexplained: tuple[str, str, str] | None = None) -> None:
        self.counts[kind] += 1
        self.by_type.setdefault(resource_type, Counter())[kind] += 1
        if unexplained is not None:
            self.unexplained[unexplained] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "resources": self.resources,
            **{k: self.counts[k] for k in KINDS},
            "by_type": {t: {k: c[k] for k in KINDS} for t, c in sorted(self.by_type.items())},
            "unexplained": [
                {"system": s, "code": c, "display": d, "count": n} for (s, c, d), n in self.unexplained.most_common()
            ],
            "refused": self.refused,
        }


class _Resolver:
    """References between the files' resources, as the import resolves them within one import."""

    def __init__(self, resources: list[tuple[str, dict]]) -> None:
        self.by_key: dict[str, dict] = {}
        for full_url, resource in resources:
            if full_url:
                self.by_key[full_url] = resource
            if resource.get("id"):
                self.by_key[f"{resource.get('resourceType')}/{resource['id']}"] = resource

    def __call__(self, container: dict, reference: Any) -> dict | None:
        target = reference.get("reference") if isinstance(reference, dict) else reference
        if not isinstance(target, str) or not target:
            return None
        if target.startswith("#"):
            contained = container.get("contained") or []
            return next((c for c in contained if isinstance(c, dict) and c.get("id") == target[1:]), None)
        parts = target.split("/_history/")[0].rstrip("/").split("/")
        return self.by_key.get(target) or self.by_key.get("/".join(parts[-2:]))


def _classify(resource: dict, resolve: _Resolver) -> tuple[str, tuple[str, str, str] | None] | None:
    """(kind, the unexplained code) of a clinical resource, or None for a resource that is not counted."""
    resource_type = resource.get("resourceType", "")
    if resource_type == "Medication":
        found = codes.codings(resource.get("code"))
        title = codes.concept_text(resource.get("code"))
        category, kind = "medication", ""
    elif resource_type == "Observation" or resource_type in CLINICAL_TYPES:
        row = normalise(resource, resolve)
        if row is None:
            return None
        kind = str(row.details.get("kind", ""))
        if resource_type == "Observation" and kind not in ("lab", "vital"):
            return None
        found, title, category = row.codings, row.title, row.category
    else:
        return None
    if not found and not title:
        return "none", None
    recognised = recognise_record(category, kind, found, title)
    if recognised.level != LEVEL_GENERIC:
        return recognised.level, None
    best = codes.main_coding(found)
    return LEVEL_GENERIC, (best["system"], best["code"], best["display"] or title) if best else ("", "", title)


def measure(paths: Iterable[str | Path]) -> Coverage:
    result = Coverage()
    resources: list[tuple[str, dict]] = []
    for path in files_in(paths):
        try:
            resources.extend((e.full_url, e.resource) for e in read_source(path))
        except RefusedFile as refusal:
            result.refused.append(f"{refusal.file}: {refusal.message}")
    resolve = _Resolver(resources)
    for _url, resource in resources:
        outcome = _classify(resource, resolve)
        if outcome is not None:
            result.add(resource.get("resourceType", ""), *outcome)
    return result
