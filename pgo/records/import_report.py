"""What an import did, in words a person reads: the presenter behind the upload and provider report pages.

The report is kept between the POST and the report page as a small plain dict (``as_summary``), so it can live in
the signed session cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pgo.i18n import _, _l
from pgo.records.importing import ImportReport

# Resource types that are kept as received but not shown on the record pages, in words.
KEPT_WORDS = {
    "Patient": _l("personal details"),
    "Practitioner": _l("details of care providers"),
    "PractitionerRole": _l("roles of care providers"),
    "Organization": _l("details of organisations"),
    "Location": _l("places"),
    "Specimen": _l("lab samples"),
    "Claim": _l("insurance claims"),
    "ExplanationOfBenefit": _l("insurance statements"),
    "Coverage": _l("insurance details"),
    "Provenance": _l("notes on where data came from"),
    "Questionnaire": _l("questionnaires"),
    "QuestionnaireResponse": _l("answers to questionnaires"),
    "Binary": _l("attached files"),
    "Media": _l("pictures and recordings"),
    "CarePlan": _l("care plans"),
    "CareTeam": _l("care teams"),
    "Goal": _l("goals"),
    "ImagingStudy": _l("imaging studies"),
    "Device": _l("devices"),
    "Flag": _l("warnings"),
    "Consent": _l("consent statements"),
    "RelatedPerson": _l("details of people close to you"),
    "Bundle": _l("collections of records"),
}


def kept_label(resource_type: str) -> str:
    """The words for a kept resource type; an unknown type is named as it is (e.g. "SupplyDelivery")."""
    words = KEPT_WORDS.get(resource_type)
    return str(words) if words is not None else resource_type


def as_summary(report: ImportReport, *, source: str = "") -> dict[str, Any]:
    """A compact, JSON-safe copy of the report for the session."""
    return {
        "source": source,
        "added": report.imported,
        "already": report.duplicates,
        "kept": dict(sorted(report.kept.items())),
        "refused": [[r.file, r.error] for r in report.refused],
    }


@dataclass(frozen=True)
class KeptLine:
    label: str
    count: int


@dataclass(frozen=True)
class RefusedLine:
    file: str
    reason: str


@dataclass
class ReportView:
    """The report as the page shows it."""

    source: str
    added: int
    already: int
    kept: list[KeptLine] = field(default_factory=list)
    refused: list[RefusedLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def headline(self) -> str:
        if self.added == 0 and self.already == 0 and self.refused:
            return _("Nothing was imported.")
        if self.added == 0:
            return _("No new records: everything was already in your record.")
        return _("%(n)s records were added to your record.", n=self.added)


def report_view(summary: dict[str, Any]) -> ReportView:
    """The presenter for a summary made by ``as_summary``; labels are in the current language."""
    kept = [KeptLine(kept_label(name), int(count)) for name, count in (summary.get("kept") or {}).items()]
    return ReportView(
        source=str(summary.get("source") or ""),
        added=int(summary.get("added") or 0),
        already=int(summary.get("already") or 0),
        kept=sorted(kept, key=lambda line: line.label.lower()),
        refused=[RefusedLine(str(f), str(r)) for f, r in summary.get("refused") or []],
    )
