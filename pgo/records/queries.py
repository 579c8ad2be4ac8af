"""Queries for the record pages: one function per page, presenters out, no Flask.

Every list is paged or grouped in SQL over (user_id, category, effective_at); resource bodies are only read for
one record at a time (narrative, document content).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import String, bindparam, func, or_, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from pgo.clock import as_utc, utcnow
from pgo.records import medicines
from pgo.records.models import FLAGGED, RecordCoding, RecordEntry, RecordLink, RecordProvenance, RecordResource
from pgo.records.presenters import (
    FileName,
    MedicationOverview,
    Overview,
    Page,
    RecordItem,
    ResultGroup,
    present,
    present_medicine,
)
from pgo.records.references import _type_and_id, stored_resource
from pgo.records.sanitise import sanitise_html

CATEGORIES = ("result", "report", "medication", "problem", "allergy", "vaccination", "procedure", "visit", "document")


# Statements every list page runs, built once: composing statements anew was a measurable part of each request
# (for the results page's list of tests, 2.5 of its 3 ms CPU: issue 8).
_SOURCES = (
    select(RecordLink.entry_id, RecordProvenance.source_name, RecordProvenance.source_kind)
    .join(RecordProvenance, RecordProvenance.resource_id == RecordLink.resource_id)
    .where(RecordLink.entry_id.in_(bindparam("ids", expanding=True)))
    .distinct()
    .order_by(RecordLink.entry_id, RecordProvenance.source_name)
)
_CODINGS = (
    select(RecordCoding.entry_id, RecordCoding.system, RecordCoding.code, RecordCoding.display)
    .join(RecordEntry, RecordEntry.id == RecordCoding.entry_id)
    .where(RecordCoding.entry_id.in_(bindparam("ids", expanding=True)), RecordEntry.user_id == bindparam("user_id"))
    .order_by(RecordCoding.entry_id, RecordCoding.id)
)
_COUNTS = (
    select(RecordEntry.category, func.count())
    .where(RecordEntry.user_id == bindparam("user_id"))
    .group_by(RecordEntry.category)
)


def record_counts(*, session: Session, user_id: int) -> dict[str, int]:
    """How many records of each category the person has."""
    return dict(session.execute(_COUNTS, {"user_id": user_id}).all())


# An import without a sender's name is known by its file's name ("Fletcher_Hyatt_fe05.json"); a named sender is not
_FILE_NAME = re.compile(r"\.[A-Za-z0-9]{2,8}$")


def sources_of(session: Session, entry_ids: list[int]) -> dict[int, list[str]]:
    """Where each record came from: the names of every source that delivered it (a file's as ``FileName``)."""
    if not entry_ids:
        return {}
    rows = session.execute(_SOURCES, {"ids": entry_ids})
    found: dict[int, list[str]] = {}
    for entry_id, name, kind in rows:
        found.setdefault(entry_id, []).append(FileName(name) if kind == "file" and _FILE_NAME.search(name) else name)
    return found


def _items(session: Session, entries: list[RecordEntry], *, with_sources: bool = True) -> tuple[RecordItem, ...]:
    sources = sources_of(session, [e.id for e in entries if e.id]) if with_sources else {}
    return tuple(present(e, sources) for e in entries)


def _newest_first(statement):
    return statement.order_by(RecordEntry.effective_at.desc().nulls_last(), RecordEntry.id.desc())


def _mine(user_id: int, category: str):
    return select(RecordEntry).where(RecordEntry.user_id == user_id, RecordEntry.category == category)


def overview(*, session: Session, user_id: int, limit: int = 5) -> Overview:
    """What is new and what needs attention: recent results, results outside the range, current medication."""
    results = _mine(user_id, "result")
    recent = session.exec(_newest_first(results).limit(limit)).all()
    abnormal = session.exec(_newest_first(results.where(FLAGGED)).limit(limit)).all()
    counts = record_counts(session=session, user_id=user_id)
    return Overview(
        _items(session, list(recent)),
        _items(session, list(abnormal)),
        current_medication(session=session, user_id=user_id),
        counts,
    )


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def category_page(*, session: Session, user_id: int, category: str, page: int = 1, per_page: int = 25) -> Page:
    """One page of a category (problems, allergies, vaccinations, procedures, visits, documents...), newest first."""
    total = session.execute(
        select(func.count())
        .select_from(RecordEntry)
        .where(RecordEntry.user_id == user_id, RecordEntry.category == category)
    ).scalar_one()
    page = min(max(1, page), _pages(total, per_page))
    rows = session.exec(_newest_first(_mine(user_id, category)).offset((page - 1) * per_page).limit(per_page)).all()
    return Page(_items(session, list(rows)), page, _pages(total, per_page), total)


def _recent_of_test(n: int, history: int):
    """The ids of the newest ``history`` results of test ``n`` of a page: an index range, whatever the record's
    size. A coded test has its code key in ``key_n`` (``title_n`` None); a test without a code (rare) has ``key_n``
    '' and its title in ``title_n``."""
    key, title = bindparam(f"key_{n}", type_=String), bindparam(f"title_{n}", type_=String)
    mine = select(RecordEntry.id).where(
        RecordEntry.user_id == bindparam("user_id"),
        RecordEntry.category == "result",
        RecordEntry.code_key == key,
        or_(title.is_(None), RecordEntry.title == title),
    )
    return select(_newest_first(mine).limit(history).subquery().c.id)


@lru_cache(maxsize=64)
def _recent_results_query(tests: int, history: int):
    """The newest results of ``tests`` tests in one statement, built once per shape (composing twenty subqueries
    cost more than running them: pyinstrument, issue 8)."""
    ids = union_all(*(_recent_of_test(n, history) for n in range(tests)))
    return _newest_first(select(RecordEntry).where(RecordEntry.id.in_(ids)))


@lru_cache(maxsize=1)
def _tests_queries():
    """The two statements of ``_tests``, built once (composing the recursive CTE cost a third of running it:
    pyinstrument, issue 8); the person is the parameter ``user_id``."""
    user_id = bindparam("user_id")
    results = (RecordEntry.user_id == user_id, RecordEntry.category == "result")
    entry = aliased(RecordEntry)
    first = select(func.min(RecordEntry.code_key).label("code")).where(*results, RecordEntry.code_key > "")
    codes = first.cte("codes", recursive=True)
    following = (
        select(func.min(entry.code_key))
        .where(entry.user_id == user_id, entry.category == "result", entry.code_key > codes.c.code)
        .scalar_subquery()
    )
    codes = codes.union_all(select(following).where(codes.c.code.is_not(None)))
    newest = (
        select(func.max(entry.effective_at))
        .where(entry.user_id == user_id, entry.category == "result", entry.code_key == codes.c.code)
        .scalar_subquery()
    )
    coded = select(codes.c.code, newest).where(codes.c.code.is_not(None))
    untitled = (
        select(RecordEntry.title, func.max(RecordEntry.effective_at))
        .where(*results, RecordEntry.code_key == "")
        .group_by(RecordEntry.title)
    )
    return coded, untitled


def _tests(session: Session, user_id: int) -> list[tuple[str, bool, object]]:
    """Every test in the record as (key, coded, newest date), newest first.

    Coded tests are found by a loose index scan (one index seek per distinct code, a recursive CTE) instead of
    grouping every result; tests without a code (rare) are grouped by title.
    """
    coded, untitled = _tests_queries()
    person = {"user_id": user_id}
    found = [(code, True, when) for code, when in session.execute(coded, person)]
    found += [(title, False, when) for title, when in session.execute(untitled, person)]
    # newest first, undated tests last, then by key (as the SQL ordering did)
    return sorted(found, key=lambda test: (test[2] is None, -_epoch(test[2]), test[0]))


def _epoch(when) -> float:
    return as_utc(when).timestamp() if when is not None else 0.0


def results_page(*, session: Session, user_id: int, page: int = 1, per_page: int = 20, history: int = 6) -> Page:
    """Results grouped by test (newest test first), each with its earlier values for a trend.

    Index seeks only: one per distinct test to list the tests, one range per test shown for its newest results,
    so the work follows what the page shows, not the size of the record.
    """
    tests = _tests(session, user_id)
    total = len(tests)
    page = min(max(1, page), _pages(total, per_page))
    shown = tests[(page - 1) * per_page : page * per_page]
    keys = [key for key, _coded, _when in shown]
    entries: list[RecordEntry] = []
    if keys:
        values: dict[str, object] = {"user_id": user_id}
        for n, (key, coded, _when) in enumerate(shown):
            values[f"key_{n}"], values[f"title_{n}"] = (key, None) if coded else ("", key)
        entries = list(session.exec(_recent_results_query(len(shown), history), params=values).all())
    items = dict(zip([e.id for e in entries], _items(session, entries), strict=True))
    by_key: dict[str, list[RecordItem]] = {}
    for entry in entries:
        by_key.setdefault(entry.code_key or entry.title, []).append(items[entry.id])
    groups_out = tuple(
        ResultGroup(by_key[k][0].title, k, by_key[k][0], tuple(by_key[k][1:])) for k in keys if k in by_key
    )
    return Page(groups_out, page, _pages(total, per_page), total)


def _medicines(session: Session, user_id: int) -> list:
    """The person's medication rows grouped into medicines, one per treatment (#16)."""
    rows = session.exec(_newest_first(_mine(user_id, "medication"))).all()
    return medicines.group(rows, utcnow())


def _medicine_items(session: Session, found: list, *, with_sources: bool = True) -> tuple[RecordItem, ...]:
    ids = [e.id for m in found for e in (m.main, *m.others) if e.id]
    sources = sources_of(session, ids) if with_sources else {}
    return tuple(present_medicine(m, sources) for m in found)


def current_medication(*, session: Session, user_id: int, with_sources: bool = True) -> tuple[RecordItem, ...]:
    """Every medicine the person uses now, will start or has paused, once each, newest first
    (``with_sources=False``: without where each came from, for a summary that does not show it)."""
    found = [m for m in _medicines(session, user_id) if m.state != medicines.STOPPED]
    return _medicine_items(session, found, with_sources=with_sources)


def newest(*, session: Session, user_id: int, category: str, limit: int) -> tuple[RecordItem, ...]:
    """The newest ``limit`` records of a category, without their sources: for a summary."""
    rows = session.exec(_newest_first(_mine(user_id, category)).limit(limit)).all()
    return _items(session, list(rows), with_sources=False)


def medication_page(*, session: Session, user_id: int, page: int = 1, per_page: int = 25) -> MedicationOverview:
    """Current medicines (all of them) and stopped ones (paged), each treatment once, with the dose in words."""
    grouped = _medicines(session, user_id)
    current = [m for m in grouped if m.state != medicines.STOPPED]
    stopped = [m for m in grouped if m.state == medicines.STOPPED]
    page = min(max(1, page), _pages(len(stopped), per_page))
    shown = stopped[(page - 1) * per_page : page * per_page]
    return MedicationOverview(
        _medicine_items(session, current),
        Page(_medicine_items(session, shown), page, _pages(len(stopped), per_page), len(stopped)),
    )


def _entry(session: Session, user_id: int, entry_id: int) -> RecordEntry | None:
    entry = session.get(RecordEntry, entry_id)
    return entry if entry is not None and entry.user_id == user_id else None


def _bodies(session: Session, entry_id: int) -> list[dict]:
    return list(
        session.execute(
            select(RecordResource.body)
            .join(RecordLink, RecordLink.resource_id == RecordResource.id)
            .where(RecordLink.entry_id == entry_id)
            .order_by(RecordResource.id)
        ).scalars()
    )


def narrative(*, session: Session, user_id: int, entry_id: int) -> str:
    """The sanitised narrative (text.div) of a record, or ''."""
    if _entry(session, user_id, entry_id) is None:
        return ""
    for body in _bodies(session, entry_id):
        text = body.get("text")
        if isinstance(text, dict) and isinstance(text.get("div"), str):
            return sanitise_html(text["div"])
    return ""


def codings_of(*, session: Session, user_id: int, entry_id: int) -> list[tuple[str, str, str]]:
    """Every (system, code, display) of a record, for looking up explanations."""
    if _entry(session, user_id, entry_id) is None:
        return []
    rows = session.execute(
        select(RecordCoding.system, RecordCoding.code, RecordCoding.display).where(RecordCoding.entry_id == entry_id)
    )
    return [tuple(row) for row in rows]


def codings_for(*, session: Session, user_id: int, entry_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Every (system, code, display) of each of the person's records ``entry_ids``, in one query."""
    if not entry_ids:
        return {}
    rows = session.execute(_CODINGS, {"ids": entry_ids, "user_id": user_id})
    found: dict[int, list[tuple[str, str, str]]] = {}
    for entry_id, system, code, display in rows:
        found.setdefault(entry_id, []).append((system, code, display))
    return found


@dataclass(frozen=True)
class DocumentContent:
    content_type: str  # as the FHIR file claims it: never to be trusted for serving (see document_serving)
    data: bytes
    title: str


def document_content(*, session: Session, user_id: int, entry_id: int) -> DocumentContent | None:
    """The bytes of a document (inline, or in its Binary), so that a PDF can be opened or downloaded."""
    entry = _entry(session, user_id, entry_id)
    if entry is None or entry.category != "document":
        return None
    for body in _bodies(session, entry_id):
        for content in body.get("content") or []:
            attachment = content.get("attachment") or {}
            data = attachment.get("data")
            content_type = attachment.get("contentType") or "application/octet-stream"
            if not data and attachment.get("url"):
                data, content_type = _binary(session, user_id, body, attachment["url"], content_type)
            if data:
                try:
                    raw = base64.b64decode(data, validate=False)
                except (binascii.Error, ValueError):
                    continue
                return DocumentContent(content_type, raw, attachment.get("title") or entry.title or "document")
    return None


def _binary(session: Session, user_id: int, body: dict, url: str, content_type: str) -> tuple[str | None, str]:
    if url.startswith("#"):
        binary = next((c for c in body.get("contained") or [] if c.get("id") == url[1:]), None)
    else:
        pair = _type_and_id(url)
        binary = (
            stored_resource(session=session, user_id=user_id, resource_type=pair[0], fhir_id=pair[1]) if pair else None
        )
        if binary is None:
            binary = session.execute(
                select(RecordResource.body).where(RecordResource.user_id == user_id, RecordResource.full_url == url)
            ).scalar()
    if not binary:
        return None, content_type
    return binary.get("content") or binary.get("data"), binary.get("contentType") or content_type
