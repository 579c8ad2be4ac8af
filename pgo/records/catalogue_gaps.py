"""Where the catalogue falls short in use (issue #15, part 5; 2026-12-03): the codes that arrived in imports and got
only their group's text or their category's general text, counted across patients, most frequent first.

What a clinician reads here never names a patient: a row is a code (or, for records without a code, a name that
at least ``MIN_PEOPLE`` patients share), with how many patients and records have it. A number of patients below
``MIN_PEOPLE`` is shown as "fewer than" (small numbers, as in published statistics, can point to a person), and a
record's own text is shown only when at least ``MIN_PEOPLE`` patients share it; otherwise the row names the code
with the code system's own name for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, literal
from sqlmodel import Session, col, select

from pgo.literacy import catalogue as cat_module
from pgo.paging import Paging, paging
from pgo.records.models import RecordCoding, RecordEntry, RecordRevision

MIN_PEOPLE = 5  # fewer patients than this are shown as "fewer than 5"
PER_PAGE = 25
CATEGORIES = ("result", "medication", "problem", "allergy", "vaccination", "procedure")
# How a clinician knows a code system: the catalogue's short names (TERMINOLOGY.md), else its URI
SYSTEM_NAMES = {
    "loinc": "LOINC", "snomed": "SNOMED CT", "atc": "ATC", "nhg45": "NHG-tabel 45", "gpk": "G-Standaard GPK",
    "hpk": "G-Standaard HPK", "zi": "G-Standaard ZI", "prk": "G-Standaard PRK", "snk": "G-Standaard SNK",
    "ssk": "G-Standaard SSK", "icpc": "ICPC", "icd10nl": "ICD-10 (nl)", "icd10": "ICD-10", "dsm5": "DSM-5",
    "dsm4": "DSM-IV", "rxnorm": "RxNorm", "cvx": "CVX", "ndc": "NDC", "air": "AIR",
}  # fmt: skip
_BY_URI = {uri: SYSTEM_NAMES[short] for short, uris in cat_module.SYSTEMS.items() for uri in uris}


@dataclass(frozen=True)
class Gap:
    """One code (or shared name) without its own explanation."""

    category: str  # the record category: result, medication, ...
    system: str  # "" for records without a code
    code: str
    name: str  # the code system's name for the code, or the text many patients share; "" when not shown
    patients: int | None  # None: fewer than MIN_PEOPLE
    records: int
    level: str  # "group" (its group's text) or "generic" (only its category's text)
    text_title: str  # the title of the text it gets now
    reviewed: date | None  # when that text was last reviewed, and by whom
    reviewed_by: str

    @property
    def system_name(self) -> str:
        return _BY_URI.get(self.system, self.system)


@dataclass(frozen=True)
class GapList:
    rows: tuple[Gap, ...]
    paging: Paging
    records: int  # records without their own explanation, in all
    unnamed: int  # records without a code whose text fewer than MIN_PEOPLE patients share (counted, not shown)


def _not_own(cat: cat_module.Catalogue) -> tuple[set[str], set[str]]:
    groups = {entry.id for entry in cat.entries if entry.group}
    generic = {entry.id for entry in cat.fallbacks.values()}
    return groups, generic


# The counts change only when records are imported or recognised again, and both raise a person's records revision
# (pgo.records.revision); new records also raise the newest record id. So the counts are kept per process under
# that state and read again only when it changes: three one-row queries instead of reading every record (issue #22's
# clinic of a thousand patients: about 0.5 s for 300,000 records each time otherwise).
_KEPT: dict[tuple, list] = {}


def _state(session: Session, cat: cat_module.Catalogue) -> tuple:
    newest = session.execute(select(func.max(RecordEntry.id))).scalar()
    revisions = session.execute(select(func.coalesce(func.sum(RecordRevision.revision), 0), func.count())).one()
    return (id(cat), str(session.get_bind().url), newest, *revisions)


def _aggregate(session: Session, concept_ids: list[str]):
    text_key = case((RecordEntry.code_key == literal(""), func.lower(RecordEntry.title)), else_=literal(""))
    return session.execute(
        select(
            RecordEntry.category, RecordEntry.code_key, text_key, func.max(RecordEntry.concept_id),
            func.count(func.distinct(RecordEntry.user_id)), func.count(), func.min(RecordEntry.id),
        )
        .where(col(RecordEntry.category).in_(CATEGORIES), col(RecordEntry.concept_id).in_(concept_ids))
        .group_by(RecordEntry.category, RecordEntry.code_key, text_key)
    ).all()  # fmt: skip


def _counted(session: Session, concept_ids: list[str]) -> tuple[list[tuple], int, int]:
    """(the rows that may be shown, most patients first, then most records; records in all; records not shown)."""
    rows = _aggregate(session, concept_ids)
    shown_rows, unnamed = [], 0
    for category, code_key, text, concept, people, records, first_id in rows:
        if not code_key and people < MIN_PEOPLE:
            unnamed += records  # a name few patients share may be theirs alone: counted, never shown
            continue
        shown_rows.append((category, code_key, text, concept, people, records, first_id))
    shown_rows.sort(key=lambda r: (-r[4], -r[5], r[1], r[2]))
    return shown_rows, sum(row[5] for row in rows), unnamed


def _names(session: Session, wanted: dict[int, str]) -> dict[int, str]:
    """The code system's name (a coding's display) of each row's code, read from one record per row."""
    if not wanted:
        return {}
    found: dict[int, str] = {}
    rows = session.execute(
        select(RecordCoding.entry_id, RecordCoding.system, RecordCoding.code, RecordCoding.display).where(
            col(RecordCoding.entry_id).in_(list(wanted))
        )
    )
    for entry_id, system, code, display in rows:
        if display and f"{system}|{code}" == wanted[entry_id]:
            found[entry_id] = display
    return found


def catalogue_gaps(
    *,
    session: Session,
    lang: str,
    page: int = 1,
    per_page: int = PER_PAGE,
    catalogue: cat_module.Catalogue | None = None,
) -> GapList:
    """One page of the codes without their own explanation, most patients first, then most records."""
    cat = catalogue or cat_module.default_catalogue()
    groups, generic = _not_own(cat)
    state = _state(session, cat)
    kept = _KEPT.get(state)
    if kept is None:  # another thread may do the same at the same time: both get the same counts
        kept = _counted(session, sorted(groups | generic))
        _KEPT.clear()  # one state at a time: the newest
        _KEPT[state] = kept
    shown_rows, total, unnamed = kept
    shown = paging(total=len(shown_rows), page=page, per_page=per_page)
    here = shown_rows[shown.offset : shown.offset + per_page]
    names = _names(session, {r[6]: r[1] for r in here if r[1]})
    result = []
    for category, code_key, text, concept, people, records, first_id in here:
        system, _sep, code = code_key.rpartition("|") if code_key else ("", "", "")
        entry = cat.by_id.get(concept)
        result.append(
            Gap(
                category=category,
                system=system,
                code=code,
                name=names.get(first_id, "") if code_key else text,
                patients=people if people >= MIN_PEOPLE else None,
                records=records,
                level="group" if concept in groups else "generic",
                text_title=entry.title(lang) if entry else "",
                reviewed=entry.reviewed if entry else None,
                reviewed_by=entry.reviewed_by if entry else "",
            )
        )
    return GapList(tuple(result), shown, total, unnamed)
