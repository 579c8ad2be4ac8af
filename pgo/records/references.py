"""Resolving references inside an import: contained ``#id``, ``urn:uuid:``, relative ``Type/id`` and fullUrl.

The index holds the resources of the current batch only (references, no copies): a resource of an earlier batch
or file is looked up among the resources already stored for the person (each batch is stored before its records
are made), so that a large NDJSON file is never held whole. References that point to a file imported later (e.g. a
MedicationStatement before its Medication) are completed by ``resolve_pending`` after the import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pgo.literacy.recognition import recognise_record
from pgo.records import codes
from pgo.records.models import RecordCoding, RecordEntry, RecordResource


def _type_and_id(reference: str) -> tuple[str, str] | None:
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2][:1].isupper():
        return parts[-2], parts[-1]
    return None


class ReferenceIndex:
    def __init__(self, *, session: Session, user_id: int) -> None:
        self.session = session
        self.user_id = user_id
        self._batch: list[Any] = []
        self._keys: dict[str, dict] | None = {}

    def add(self, entries: list[Any]) -> None:
        """The next batch: only its resources are kept in memory. They are indexed when a reference first asks
        (most batches hold no reference that needs resolving)."""
        self._batch = entries
        self._keys = None

    @property
    def _by_key(self) -> dict[str, dict]:
        if self._keys is None:
            self._keys = {}
            for entry in self._batch:
                resource = entry.resource
                if entry.full_url:
                    self._keys[entry.full_url] = resource
                if resource.get("id"):
                    self._keys[f"{resource['resourceType']}/{resource['id']}"] = resource
        return self._keys

    def resolve(self, container: dict, reference: Any) -> dict | None:
        """The resource a Reference points to, or None when it is not in this import nor stored already."""
        target = reference.get("reference") if isinstance(reference, dict) else reference
        if not isinstance(target, str) or not target:
            return None
        if target.startswith("#"):
            for contained in container.get("contained") or []:
                if isinstance(contained, dict) and contained.get("id") == target[1:]:
                    return contained
            return None
        found = self._by_key.get(target)
        if found is not None:
            return found
        pair = _type_and_id(target)
        if pair is None:
            return self._stored_by_url(target)
        return self._by_key.get(f"{pair[0]}/{pair[1]}") or stored_resource(
            session=self.session, user_id=self.user_id, resource_type=pair[0], fhir_id=pair[1]
        )

    def _stored_by_url(self, url: str) -> dict | None:
        return self.session.execute(
            select(RecordResource.body).where(RecordResource.user_id == self.user_id, RecordResource.full_url == url)
        ).scalar()


def stored_resource(*, session: Session, user_id: int, resource_type: str, fhir_id: str) -> dict | None:
    return session.execute(
        select(RecordResource.body)
        .where(
            RecordResource.user_id == user_id,
            RecordResource.resource_type == resource_type,
            RecordResource.fhir_id == fhir_id,
        )
        .order_by(RecordResource.id.desc())
    ).scalar()


def resolve_pending(*, session: Session, user_id: int) -> int:
    """Name medication records whose Medication arrived in a later file. Returns how many were completed."""
    if not _any_pending(session, user_id):
        return 0
    done = 0
    rows = session.execute(
        select(RecordEntry).where(
            RecordEntry.user_id == user_id, RecordEntry.category == "medication", RecordEntry.code_key == ""
        )
    ).scalars()
    for entry in rows:
        target = (entry.details or {}).get("medication_reference") or ""
        pair = _type_and_id(target)
        medication = (
            stored_resource(session=session, user_id=user_id, resource_type=pair[0], fhir_id=pair[1]) if pair else None
        )
        if not medication:
            continue
        found = codes.codings(medication.get("code"))
        best = codes.main_coding(found)
        entry.code_key = f"{best['system']}|{best['code']}" if best else ""
        entry.title = codes.concept_text(medication.get("code")) or entry.title
        concept = recognise_record(entry.category, "", found, entry.title)
        entry.concept_id, entry.concept_how = concept.entry_id, concept.how
        for coding in found:
            session.add(
                RecordCoding(entry_id=entry.id, system=coding["system"], code=coding["code"], display=coding["display"])
            )
        session.add(entry)
        done += 1
    return done


def _any_pending(session: Session, user_id: int) -> bool:
    """Whether the person has medication records without a code, in plain SQL: most imports have none, and
    compiling the ORM query above cost a fresh engine (a new database) more than the look-up."""
    session.flush()  # what the ORM query would see (it flushes first)
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"SELECT 1 FROM {RecordEntry.__tablename__} WHERE user_id = {mark} AND category = 'medication'"  # noqa: S608
        " AND code_key = '' LIMIT 1"
    )
    return connection.exec_driver_sql(sql, (user_id,)).first() is not None
