"""Importing FHIR into a person's record: atomic per file, idempotent, de-duplicated across sources.

Every resource is stored once as received (``RecordResource``, keyed by a hash of its content) with one
provenance row per source that delivered it. Shown resource types also get a normalised ``RecordEntry``; the same
fact from two sources (e.g. the STU3 and R4 form of one lab result) becomes one entry linked to both resources.
Resources are written in batches with bulk inserts, so a large import is neither slow nor held twice in memory.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Table, select
from sqlalchemy import text as sql_text
from sqlmodel import Session

from pgo.bulk import ids_by_key, insert_many
from pgo.clock import utcnow
from pgo.i18n import _
from pgo.literacy.recognition import recognise_record
from pgo.records import fhir_versions
from pgo.records.bgz.sections import SECTION_TYPES
from pgo.records.dates import InvalidDate
from pgo.records.fhir_files import Entry, RefusedFile, files_in, read_source
from pgo.records.models import RecordCoding, RecordEntry, RecordLink, RecordProvenance, RecordResource
from pgo.records.normalise import SHOWN_TYPES, Normalised, normalise
from pgo.records.references import ReferenceIndex, resolve_pending
from pgo.records.revision import raise_revision

BATCH_SIZE = 2000
# Types a page shows: as a record, or on a BgZ section's page (#20); the report names the others "kept, not shown".
ON_A_PAGE = SHOWN_TYPES | SECTION_TYPES
STAGED_BATCH_SIZE = 500  # a staged import's batch (#17): one short write transaction each
IMPORT_CACHE_KB = 65536
# The numbers orjson writes differently from ``json`` (1e-7 / 1e-07, 0.00001 / 1e-05; all others are the same): the
# stored text and its hash must not depend on which one wrote it (a later import finds a resource by that hash).
_FLOAT_SPELLING_DIFFERS = re.compile(rb"[:,\[]-?(?:\d+(?:\.\d+)?e-\d[,}\]]|0\.0000)")
# What every match of the first alternative ends with: a quick first look (its literal start is searched fast, and
# unlike a plain "e-" it is not found in every other UUID), before the slower pattern above.
_NEGATIVE_EXPONENT = re.compile(rb"e-\d[,}\]]")
_SORTED = orjson.OPT_SORT_KEYS


@dataclass
class Refusal:
    file: str
    error: str


@dataclass
class ImportReport:
    """What an import did: new resources, duplicates, resources kept but not shown (by type), refused files."""

    imported: int = 0
    duplicates: int = 0
    merged: int = 0  # new resources that are the same fact as a record already there (another source)
    new_records: int = 0
    kept: Counter = field(default_factory=Counter)
    refused: list[Refusal] = field(default_factory=list)

    def add(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.merged += other.merged
        self.new_records += other.new_records
        self.kept.update(other.kept)
        self.refused.extend(other.refused)

    @property
    def ok(self) -> bool:
        return not self.refused

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "kept": dict(sorted(self.kept.items())),
            "refused": [{"file": r.file, "error": r.error} for r in self.refused],
        }


def canonical_json(resource: dict) -> str:
    """The stored text of a resource. Raises ValueError for NaN/Infinity, which FHIR JSON cannot hold."""
    return json.dumps(resource, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# Called after each batch with the newly stored resources, inside the batch's transaction; also given
# ``import_file_id``, which the rows it writes carry (#17). The features name theirs in the manifest
# (pgo.features, ``import_listeners``): ``listener(session=, user_id=, resources=, source=, import_file_id=)``.
ImportListener = Callable[..., None]


def _listeners() -> list[ImportListener]:
    from pgo import features

    return features.import_listeners()


def import_paths(
    *, session: Session, user_id: int, paths: Iterable[str | Path], source_name: str | None = None
) -> ImportReport:
    """Import files and folders (every file in a folder). A file that cannot be read is refused as a whole."""
    report = ImportReport()
    for path in files_in(paths):
        name = path.name
        try:
            with session.begin_nested():
                part = _store(session, user_id, read_source(path), source_name or name, "file")
        except RefusedFile as refusal:
            report.refused.append(Refusal(refusal.file, refusal.message))
            continue
        report.add(part)
    resolve_pending(session=session, user_id=user_id)
    _changed(session, user_id, report)
    return report


def import_resources(
    *,
    session: Session,
    user_id: int,
    resources: Iterable[dict],
    source: str,
    source_kind: str = "provider",
    fhir_version: str | None = None,
) -> ImportReport:
    """Import resources (e.g. fetched from a care provider). All or nothing: refused as one unit."""
    report = ImportReport()
    try:
        with session.begin_nested():
            report = _store(session, user_id, _entries(source, resources, fhir_version), source, source_kind)
    except RefusedFile as refusal:
        report.refused.append(Refusal(refusal.file, refusal.message))
        return report
    resolve_pending(session=session, user_id=user_id)
    _changed(session, user_id, report)
    return report


def _changed(session: Session, user_id: int, report: ImportReport) -> None:
    """Raise the records' revision when the import stored or linked anything: pages made before are stale."""
    if report.imported or report.duplicates:
        raise_revision(session=session, user_id=user_id)
    session.flush()


def _entries(source: str, resources: Iterable[dict], fhir_version: str | None) -> Iterator[Entry]:
    from pgo.records.fhir_files import check_stream

    yield from check_stream(source, (Entry(r) for r in resources), fhir_version)


def _batches(entries: Iterator[Entry], size: int | None = None) -> Iterator[list[Entry]]:
    while batch := list(islice(entries, size or BATCH_SIZE)):
        yield batch


# Called after each batch of a staged import (#17) with the number of resources in it: commits the batch.
BatchDone = Callable[[int], None]


def _store(
    session: Session,
    user_id: int,
    entries: Iterator[Entry],
    source: str,
    kind: str,
    *,
    file_id: int | None = None,
    batch_done: BatchDone | None = None,
) -> ImportReport:
    with _large_cache(session), _cycle_collector_paused():
        return _store_batches(session, user_id, entries, source, kind, file_id, batch_done)


_pause_lock = threading.Lock()
_pauses = 0
_resume_collector = False


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a file is stored. An import keeps a batch of parsed resources (a whole
    Bundle) alive while it allocates millions of objects: each full collection walks all of them, and the
    collections took a seventh of an import's time. What an import throws away is freed by reference counting (its
    peak memory is the same without the collector); the collector runs again once the last import ends."""
    global _pauses, _resume_collector
    with _pause_lock:
        if _pauses == 0:
            _resume_collector = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume_collector:
                gc.enable()


@contextmanager
def _large_cache(session: Session) -> Iterator[None]:
    """SQLite keeps 2 MB of pages by default: a large import then writes pages out and reads them back mid-way."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    # on the driver's connection: a statement through SQLAlchemy's after a staged import's last commit (#17) would
    # begin a transaction of its own, which the session would then join and never commit
    driver = connection.connection.dbapi_connection
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KB}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size={int(before)}")


def _store_batches(
    session: Session,
    user_id: int,
    entries: Iterator[Entry],
    source: str,
    kind: str,
    file_id: int | None = None,
    batch_done: BatchDone | None = None,
) -> ImportReport:
    report = ImportReport()
    batch_writer = _BatchWriter(session, user_id, source, kind, utcnow(), report, file_id)
    index = ReferenceIndex(session=session, user_id=user_id)
    # a staged import's batches are its write transactions: smaller, so that others wait less for the lock
    for batch in _batches(entries, STAGED_BATCH_SIZE if batch_done is not None else None):
        index.add(batch)
        batch_writer.write(batch, index)
        if batch_done is not None:
            batch_done(len(batch))
    if not batch_writer.seen_any:
        raise RefusedFile(source, _("%(file)s holds no FHIR resources.", file=source))
    return report


def store_file(
    *, session: Session, user_id: int, path: Path, source: str, file_id: int, batch_done: BatchDone
) -> ImportReport:
    """Store one file as a staged import's file (#17): rows carry ``file_id`` (hidden until the import makes its
    files visible) and ``batch_done`` commits each batch. Raises RefusedFile; the caller removes what was written."""
    entries = read_source(path)
    return _store(session, user_id, entries, source, "file", file_id=file_id, batch_done=batch_done)


def _stored_text(source: str, entry: Entry) -> tuple[str, str]:
    """The canonical JSON text of a resource and its SHA-256, made once (it is both hashed and stored)."""
    if entry.plain_json:  # read by orjson: no NaN or Infinity inside, so orjson may write it too
        data = orjson.dumps(entry.resource, option=_SORTED)
        if not ((b"0.0000" in data or _NEGATIVE_EXPONENT.search(data)) and _FLOAT_SPELLING_DIFFERS.search(data)):
            if b"\\u0000" in data:
                raise _nul_refusal(source)
            return data.decode(), hashlib.sha256(data).hexdigest()
    try:
        text = canonical_json(entry.resource)
    except ValueError as error:
        raise RefusedFile(
            source, _("%(file)s holds a number that FHIR does not allow (NaN or Infinity).", file=source)
        ) from error
    if "\\u0000" in text:  # PostgreSQL cannot store NUL in text, and no FHIR string may hold one
        raise _nul_refusal(source)
    return text, hashlib.sha256(text.encode()).hexdigest()


def _date_refusal(source: str, resource: dict, error: InvalidDate) -> RefusedFile:
    """#17: a record's date that does not exist or lies before 1900 refuses the file (atomic per file)."""
    where = f"{resource['resourceType']}/{resource.get('id', '')}".rstrip("/")  # every resource has a type
    names = {"file": source, "resource": where, "date": error.text}
    if error.too_early:
        message = _("%(file)s has a date before 1900 in %(resource)s: %(date)s.", **names)
    else:
        message = _("%(file)s has a date that does not exist in %(resource)s: %(date)s.", **names)
    return RefusedFile(source, message)


def _nul_refusal(source: str) -> RefusedFile:
    return RefusedFile(source, _("%(file)s holds a NUL character, which FHIR does not allow.", file=source))


# How many keys an import keeps in memory per table (about 150 bytes each) before it asks the database instead.
KEPT_KEYS = 200_000


class _StoredKeys:
    """The ids of the rows with given keys (content hashes, record keys) that the person has in one table.

    When the person had no row in the table before this import, every row with a key is one this import stored:
    its ids are kept here, and a batch is checked against them instead of the database (a query of 2,000 keys a
    batch, twice a table: the second one for the ids of the rows just stored). Past ``KEPT_KEYS`` the import asks
    the database again, so a very large file does not keep every key in memory."""

    def __init__(self, session: Session, table: Table, column: str, user_id: int) -> None:
        self.session, self.table, self.column, self.user_id = session, table, column, user_id
        self.ids: dict[str, int] | None = None if _has_rows(session, table.name, user_id) else {}

    def existing(self, keys: list[str]) -> dict[str, int]:
        if self.ids is None:
            return dict(ids_by_key(self.session, self.table.name, self.column, self.user_id, keys))
        ids = self.ids
        return {key: ids[key] for key in keys if key in ids}

    def insert(self, rows: list[dict[str, Any]], **options: Any) -> dict[str, int]:
        """Insert ``rows`` (see ``insert_many``); the ids of the new rows by key."""
        found = dict(insert_many(self.session, self.table, rows, returning=self.column, **options))
        if self.ids is not None:
            self.ids.update(found)
            if len(self.ids) > KEPT_KEYS:
                self.ids = None
        return found


def _has_rows(session: Session, table: str, user_id: int) -> bool:
    # a bound parameter in SQLAlchemy's own style: no placeholder per dialect (#23, 2026-12-03)
    sql = sql_text(f"SELECT 1 FROM {table} WHERE user_id = :user_id LIMIT 1")  # noqa: S608 (this module's constants)
    return session.connection().execute(sql, {"user_id": user_id}).first() is not None


@dataclass
class _BatchWriter:
    session: Session
    user_id: int
    source: str
    kind: str
    now: datetime
    report: ImportReport
    file_id: int | None = None  # the staged import's file (#17), None for an import in the caller's transaction
    seen_any: bool = False

    def __post_init__(self) -> None:
        self.resource_keys = _StoredKeys(self.session, RecordResource.__table__, "content_hash", self.user_id)
        self.entry_keys = _StoredKeys(self.session, RecordEntry.__table__, "dedup_key", self.user_id)

    def write(self, batch: list[Entry], index: ReferenceIndex) -> None:
        """Store a batch. Everything that needs no lock comes first (texts and hashes, look-ups, normalising and
        recognising, #17): the writes at the end are all a batch's write transaction holds."""
        self.seen_any = True
        hashes: dict[str, Entry] = {}
        texts: dict[str, str] = {}
        self.profiles: dict[str, str] = {}
        for entry in batch:
            text, digest = _stored_text(self.source, entry)
            texts.setdefault(digest, text)
            if entry.resource.get("resourceType") not in ON_A_PAGE:
                self.report.kept[entry.resource["resourceType"]] += 1
            if digest in hashes:
                self.report.duplicates += 1
                continue
            hashes[digest] = entry
        existing = self._existing_resources(list(hashes))
        self.report.duplicates += len(existing)
        new = {h: e for h, e in hashes.items() if h not in existing}
        groups = self._normalised(new, index)
        existing_entries = self._entry_ids(list(groups)) if groups else {}
        entry_rows = [
            _entry_row(self.user_id, key, items[0][0], self.now, self.file_id)
            for key, items in groups.items()
            if key not in existing_entries
        ]
        resource_rows = self._resource_rows(new, texts)
        # the writes
        ids = self._insert_resources(resource_rows)
        self._provenance({**existing, **ids}, hashes, set(ids.values()))
        self._entries(groups, existing_entries, entry_rows, ids)
        if new:
            resources = [entry.resource for entry in new.values()]
            for listener in _listeners():
                listener(
                    session=self.session,
                    user_id=self.user_id,
                    resources=resources,
                    source=self.source,
                    import_file_id=self.file_id,
                )

    def _profile(self, digest: str, resource: dict) -> str:
        if (found := self.profiles.get(digest)) is None:
            found = self.profiles[digest] = _profile(resource)
        return found

    def _existing_resources(self, digests: list[str]) -> dict[str, int]:
        return self.resource_keys.existing(digests)

    def _resource_rows(self, new: dict[str, Entry], texts: dict[str, str]) -> list[dict[str, Any]]:
        rows = []
        for digest, entry in new.items():
            resource = entry.resource
            rows.append(
                {
                    "user_id": self.user_id,
                    "resource_type": resource["resourceType"],
                    "fhir_id": str(resource.get("id") or "")[:128],
                    "full_url": entry.full_url[:512],
                    "fhir_version": entry.version,
                    "profile": self._profile(digest, resource),
                    "content_hash": digest,
                    "shown": resource["resourceType"] in SHOWN_TYPES,
                    "body": texts[digest],  # the JSON text already made for the hash: serialised once, not twice
                    "imported_at": self.now,
                    "import_file_id": self.file_id,
                }
            )
        return rows

    def _insert_resources(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        if not rows:
            return {}
        ids = self.resource_keys.insert(rows, fixed=("user_id", "imported_at", "import_file_id"), as_text=("body",))
        self.report.imported += len(rows)
        return ids

    def _provenance(self, ids: dict[str, int], entries: dict[str, Entry], new_ids: set[int]) -> None:
        """One row per resource and source; only resources stored before can have one already."""
        if not ids:
            return
        known = set(
            self.session.execute(
                select(RecordProvenance.resource_id).where(
                    RecordProvenance.resource_id.in_(list(existing)),
                    RecordProvenance.source_name == self.source[:255],
                )
            ).scalars()
            if (existing := set(ids.values()) - new_ids)
            else ()
        )
        rows = []
        for digest, rid in ids.items():
            if rid in known:
                continue
            entry = entries[digest]
            rows.append(
                {
                    "resource_id": rid,
                    "source_name": self.source[:255],
                    "source_kind": self.kind,
                    "fhir_version": entry.version,
                    "profile": self._profile(digest, entry.resource),
                    "imported_at": self.now,
                    "import_file_id": self.file_id,
                }
            )
        fixed = ("source_name", "source_kind", "imported_at", "import_file_id")
        insert_many(self.session, RecordProvenance.__table__, rows, fixed=fixed)

    def _normalised(self, new: dict[str, Entry], index: ReferenceIndex) -> dict[str, list[tuple[Normalised, str]]]:
        """The new resources' records by de-duplication key, each with the hash of the resource it came from."""
        groups: dict[str, list[tuple[Normalised, str]]] = {}
        for digest, entry in new.items():
            try:
                row = normalise(entry.resource, index.resolve)
            except InvalidDate as error:
                raise _date_refusal(self.source, entry.resource, error) from error
            if row is not None:
                groups.setdefault(row.dedup_key(digest), []).append((row, digest))
        return groups

    def _entries(
        self,
        groups: dict[str, list[tuple[Normalised, str]]],
        existing: dict[str, int],
        entry_rows: list[dict[str, Any]],
        ids: dict[str, int],
    ) -> None:
        if not groups:
            return
        self.report.merged += sum(len(items) - (key not in existing) for key, items in groups.items())
        all_ids = {**existing, **self._insert_entries(entry_rows, groups)}
        # every link is to a resource this batch stored (a new id): none of them can exist already (#23, 2026-12-03)
        links = [
            {"entry_id": all_ids[key], "resource_id": ids[digest], "import_file_id": self.file_id}
            for key, items in groups.items()
            for _row, digest in items
        ]
        insert_many(self.session, RecordLink.__table__, links, fixed=("import_file_id",))

    def _insert_entries(
        self, rows: list[dict[str, Any]], groups: dict[str, list[tuple[Normalised, str]]]
    ) -> dict[str, int]:
        if not rows:
            return {}
        ids = self.entry_keys.insert(rows, fixed=("user_id", "created_at", "import_file_id"), as_text=("details",))
        self.report.new_records += len(ids)
        codings = []
        for key in ids:
            seen: set[tuple[str, str]] = set()
            for coding in groups[key][0][0].codings:
                pair = (coding["system"][:255], coding["code"][:128])
                if pair not in seen:
                    seen.add(pair)
                    codings.append(
                        {
                            "entry_id": ids[key],
                            "system": pair[0],
                            "code": pair[1],
                            "display": coding["display"][:500],
                            "import_file_id": self.file_id,
                        }
                    )
        insert_many(self.session, RecordCoding.__table__, codings, fixed=("import_file_id",))
        return ids

    def _entry_ids(self, keys: list[str]) -> dict[str, int]:
        return self.entry_keys.existing(keys)


def _entry_row(user_id: int, key: str, row: Normalised, now: datetime, file_id: int | None) -> dict[str, Any]:
    concept = recognise_record(row.category, str(row.details.get("kind", "")), row.codings, row.title)
    return {
        "user_id": user_id,
        "category": row.category,
        "resource_type": row.resource_type,
        "dedup_key": key,
        "code_key": row.code_key,
        "title": row.title,
        "status": row.status[:40],
        "effective_at": row.effective_at,
        "effective_text": row.effective_text,
        "end_at": row.end_at,
        "value_text": row.value_text[:2000],
        "value_num": row.value_num,
        "comparator": row.comparator[:2],
        "unit": row.unit[:60],
        "ref_low": row.ref_low,
        "ref_high": row.ref_high,
        "ref_text": row.ref_text,
        "flag": row.flag,
        "is_current": row.is_current,
        "details": orjson.dumps(row.details).decode(),  # JSON text: SQLAlchemy's per-row json.dumps is slower
        "created_at": now,
        "concept_id": concept.entry_id,
        "concept_how": concept.how,
        "import_file_id": file_id,
    }


def _profile(resource: dict) -> str:
    found = fhir_versions.profiles(resource)
    return found[0][:512] if found else ""
