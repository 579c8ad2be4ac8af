"""What a person reads (and hears) about one record and about a record page, at their level. No Flask.

``explain_record`` puts the catalogue text (what it is, why, what to ask; the category's text for codes the
catalogue does not know) together with the personal interpretation of a result (own value, the lab's range, the
previous result). ``page_summary`` says in a few short sentences what a record page holds. Read-aloud speaks only
these texts, so it never speaks text a visitor sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from pgo.i18n import _, ngettext, use_locale
from pgo.levels import known_level
from pgo.literacy import catalogue, glossary
from pgo.literacy.recognition_names import name_tables
from pgo.records import answers, ranges
from pgo.records.interpretation import ReferenceRange, interpret
from pgo.records.models import FLAGGED, RecordEntry
from pgo.records.queries import codings_for, record_counts

# The record's category (and result kind) -> the catalogue's category
CATALOGUE_CATEGORY = {
    "medication": "medicine",
    "problem": "problem",
    "allergy": "allergy",
    "vaccination": "vaccination",
    "procedure": "procedure",
    "visit": "visit",
    "document": "document",
    "report": "lab",
}


@dataclass(frozen=True)
class JargonTerm:
    term: str
    explanation: str


@dataclass(frozen=True)
class RecordExplanation:
    """The explanation of one record at one level: each part is plain text."""

    entry_id: int
    level: str
    title: str
    what: str
    why: str
    meaning: tuple[str, ...]  # what this value means for the person (results only)
    ask: str
    is_fallback: bool
    sources: tuple[catalogue.Source, ...]
    jargon: tuple[JargonTerm, ...]
    meaning_spoken: tuple[str, ...] = ()  # ``meaning`` with units in words ("millimol per liter", #16)
    is_group: bool = False  # the text of its group (issue #15): the record itself has no text of its own yet
    recognised_by: str = ""  # how the record was recognised at import: code, equivalent, name, group (issue #15)
    reviewed: date | None = None  # when the text was last reviewed, and by whom (issue #15)
    reviewed_by: str = ""
    side_effects: str = ""  # a medicine's common side effects, under their own heading (issue #15, 2026-12-03)

    @property
    def speech(self) -> str:
        """Everything the explanation says, in reading order, for read-aloud."""
        meaning = self.meaning_spoken or self.meaning
        parts = (self.title + ".", self.what, *meaning, self.side_effects, self.why, self.ask)
        return " ".join(part for part in parts if part)


def preload() -> None:
    """Load the explanation catalogue and the glossary once per process, at app start, not in a first request."""
    catalogue.default_catalogue()
    name_tables()  # the recognition tables of issue #15, read once before the first import
    glossary.preload()


def catalogue_category(entry: RecordEntry) -> str:
    if entry.category == "result":
        kind = str((entry.details or {}).get("kind", ""))
        return kind if kind in ("lab", "vital") else "observation"
    return CATALOGUE_CATEGORY.get(entry.category, "general")


def jargon_in(texts: list[str], lang: str, level: str) -> tuple[JargonTerm, ...]:
    """The glossary terms in these texts (each once, in order of appearance) with their plain explanation."""
    found: dict[str, JargonTerm] = {}
    for text in texts:
        for segment in glossary.mark_jargon(text or "", lang):
            if segment.term and segment.term.id not in found:
                found[segment.term.id] = JargonTerm(segment.text, segment.explanation(lang, level))
    return tuple(found.values())


_FLAG_CODES = {"high": "H", "low": "L", "abnormal": "A"}


@dataclass(frozen=True)
class _Earlier:
    """The result of the same test just before a result: its number and flag."""

    value_num: float | None
    flag: str


def _previous_results_query():
    """For each wanted result, the result of the same test just before it (a correlated index seek).
    Built once: composing these aliases costs more than running the query (cProfile, issue 8)."""
    later, earlier, found = aliased(RecordEntry), aliased(RecordEntry), aliased(RecordEntry)
    just_before = (
        select(earlier.id)
        .where(
            earlier.user_id == later.user_id,
            earlier.category == "result",
            earlier.code_key == later.code_key,
            earlier.effective_at < later.effective_at,
        )
        .order_by(earlier.effective_at.desc())
        .limit(1)
        .correlate(later)
        .scalar_subquery()
    )
    return (
        select(later.id, found.value_num, found.flag)
        .select_from(later)
        .join(found, found.id == just_before)
        .where(later.id.in_(bindparam("wanted", expanding=True)))
    )


_PREVIOUS_RESULTS = _previous_results_query()
_ENTRIES = select(RecordEntry).where(
    RecordEntry.id.in_(bindparam("ids", expanding=True)), RecordEntry.user_id == bindparam("user_id")
)


def _previous_results(session: Session, entries: list[RecordEntry]) -> dict[int, _Earlier]:
    """For each result, the result of the same test just before it: one indexed query for all of them."""
    wanted = [e.id for e in entries if e.category == "result" and e.code_key and e.effective_at is not None]
    if not wanted:
        return {}
    rows = session.execute(_PREVIOUS_RESULTS, {"wanted": wanted})
    return {entry_id: _Earlier(value_num, flag) for entry_id, value_num, flag in rows}


def _meaning(entry: RecordEntry, previous: _Earlier | None, level: str, lang: str, texts: catalogue.Explanation):
    value: float | str | None = entry.value_num
    if value is None:  # a coded answer in the reader's language (#16)
        value = answers.answer_text(entry.value_text, (entry.details or {}).get("answer"), lang)
    if value in (None, ""):
        return [], []
    reading = interpret(
        value,
        entry.unit,
        reference=ReferenceRange(entry.ref_low, entry.ref_high, entry.ref_text),
        judgement=ranges.judge_entry(entry),  # the card's flag comes from this same decision (#16)
        kind=str((entry.details or {}).get("kind") or "lab"),
        comparator=entry.comparator or "",
        previous=previous.value_num if previous is not None else None,
        previous_interpretation_code=_FLAG_CODES.get(previous.flag) if previous is not None else None,
        level=level,
        lang=lang,
    )
    extra = [part for part in ({"high": texts.high, "low": texts.low}.get(reading.status, ""), reading.ask) if part]
    return [*reading.sentences, *extra], [*reading.spoken, *extra]


def _explanation(
    entry: RecordEntry, codings: list[tuple[str, str, str]], previous: _Earlier | None, level: str, lang: str
) -> RecordExplanation:
    level = known_level(level)
    texts = catalogue.explain(
        [(s, c) for s, c, _d in codings], catalogue_category(entry), level, lang, concept=entry.concept_id
    )
    meaning, spoken = _meaning(entry, previous, level, lang, texts) if entry.category == "result" else ([], [])
    return RecordExplanation(
        entry_id=entry.id or 0,
        level=level,
        title=texts.title,
        what=texts.what,
        why=texts.why,
        meaning=tuple(meaning),
        meaning_spoken=tuple(spoken),
        ask="" if meaning else texts.ask,
        is_fallback=texts.is_fallback,
        sources=texts.sources,
        jargon=jargon_in([entry.title, *(d for _s, _c, d in codings)], lang, level),
        is_group=texts.is_group,
        recognised_by=entry.concept_how,
        reviewed=texts.reviewed,
        reviewed_by=texts.reviewed_by,
        side_effects=texts.side_effects,
    )


def explain_records(
    *, session: Session, user_id: int, entry_ids: list[int], levels: dict[int, str] | str, lang: str
) -> dict[int, RecordExplanation]:
    """The explanations of the person's own records ``entry_ids`` (others are left out), keyed by entry id.

    A fixed number of queries whatever the number of records: the entries, their codings, the results before them.
    ``levels`` is one level for all, or a level per entry id (missing ids get "standard").
    """
    ids = list(dict.fromkeys(entry_ids))
    if not ids:
        return {}
    entries = session.exec(_ENTRIES, params={"ids": ids, "user_id": user_id}).all()
    codings = codings_for(session=session, user_id=user_id, entry_ids=[e.id for e in entries if e.id])
    previous = _previous_results(session, list(entries))
    explained = {}
    for entry in entries:
        level = levels if isinstance(levels, str) else levels.get(entry.id or 0, "standard")
        entry_id = entry.id or 0
        explained[entry_id] = _explanation(entry, codings.get(entry_id, []), previous.get(entry_id), level, lang)
    return explained


def explain_record(*, session: Session, user_id: int, entry_id: int, level: str, lang: str) -> RecordExplanation | None:
    """The explanation of the person's own record ``entry_id``, or None when it is not theirs."""
    return explain_records(session=session, user_id=user_id, entry_ids=[entry_id], levels=level, lang=lang).get(
        entry_id
    )


PAGES = ("overview", "result", "medication", "problem", "allergy", "vaccination", "procedure", "visit", "document")


def _abnormal(session: Session, user_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(RecordEntry)
        .where(RecordEntry.user_id == user_id, RecordEntry.category == "result", FLAGGED)  # from the partial index
    ).scalar_one()


def _current_medicines(session: Session, user_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(RecordEntry)
        .where(RecordEntry.user_id == user_id, RecordEntry.category == "medication", RecordEntry.is_current)
    ).scalar_one()


CLINICAL_PAGES = ("result", "medication", "problem", "allergy", "vaccination", "procedure")


def _generic_only(session: Session, user_id: int, page: str) -> int:
    """How many of the page's records got only their category's text at import (issue #15)."""
    return session.execute(
        select(func.count())
        .select_from(RecordEntry)
        .where(
            RecordEntry.user_id == user_id,
            RecordEntry.category == page,
            RecordEntry.concept_id.startswith("fallback-", autoescape=True),
        )
    ).scalar_one()


def page_summary(*, session: Session, user_id: int, page: str, lang: str, counts: dict[str, int] | None = None) -> str:
    """A few short sentences about what a record page holds, in ``lang``. ``counts``: the person's records per
    category, when the caller has counted them already (the overview has: counting reads the whole record)."""
    if counts is None:
        counts = record_counts(session=session, user_id=user_id)
    with use_locale(lang):
        if page == "overview":
            if not counts:
                return _("There are no records yet.")
            abnormal = _abnormal(session, user_id)
            sentences = [
                ngettext("%(num)s result is outside the reference range.",
                         "%(num)s results are outside the reference range.", abnormal),
                ngettext("You use %(num)s medicine.", "You use %(num)s medicines.",
                         _current_medicines(session, user_id)),
            ]  # fmt: skip
            if abnormal:
                sentences.append(_("Ask your doctor what this means for you."))
            return " ".join(sentences)
        total = counts.get(page, 0)
        if not total:
            return _("There is nothing here yet.")
        sentences = [ngettext("There is %(num)s record here.", "There are %(num)s records here.", total)]
        if page == "result" and (abnormal := _abnormal(session, user_id)):
            sentences.append(
                ngettext("%(num)s result is outside the reference range.",
                         "%(num)s results are outside the reference range.", abnormal)
            )  # fmt: skip
        generic = _generic_only(session, user_id, page) if page in CLINICAL_PAGES else 0
        if generic:  # issue #15: say so honestly instead of promising an explanation for each
            sentences.append(
                ngettext("%(num)s record has only a general explanation: we do not recognise it yet.",
                         "%(num)s records have only a general explanation: we do not recognise them yet.", generic)
            )  # fmt: skip
        else:
            sentences.append(_("Each record has an explanation."))
        return " ".join(sentences)
