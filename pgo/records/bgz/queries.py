"""Reading a person's BgZ sections from the stored resources (#20 part 2): one query for the resources of a section,
one for their sources, and a look-up per reference a presenter follows (kept per page)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pgo.clock import utcnow
from pgo.records.bgz.items import SectionItem
from pgo.records.bgz.presenters import planned_visit, present
from pgo.records.bgz.sections import PROMINENT, SECTIONS, Section
from pgo.records.models import RecordEntry, RecordProvenance, RecordResource
from pgo.records.presenters import FileName
from pgo.records.queries import sources_of
from pgo.records.references import _type_and_id, stored_resource

# What the sections' references point to (a care plan's condition and goals, an insurer, a device, a person)
REFERENCED_TYPES = (
    "Condition", "Goal", "Organization", "Practitioner", "PractitionerRole", "Device", "Location", "RelatedPerson",
    "CareTeam", "Patient",
)  # fmt: skip
_FILE_NAME = re.compile(r"\.[A-Za-z0-9]{2,8}$")  # a file's name is not where a record came from (#16)


@dataclass(frozen=True)
class Group:
    key: str
    heading: object
    items: tuple[SectionItem, ...]


@dataclass(frozen=True)
class SectionPage:
    section: Section
    groups: tuple[Group, ...]
    page: int = 1
    pages: int = 1
    total: int = 0  # items in the whole section, on every page

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def items(self) -> tuple[SectionItem, ...]:
        return tuple(i for g in self.groups for i in g.items)


class _Resolver:
    """References of a section's resources: contained, among the section's own resources, else stored ones."""

    def __init__(self, session: Session, user_id: int, loaded: Iterable[tuple[str, dict]]) -> None:
        self.session, self.user_id = session, user_id
        self.known: dict[str, dict] = {}
        self.urls_loaded = False
        for full_url, body in loaded:
            if body.get("id"):
                self.known[f"{body.get('resourceType')}/{body.get('id')}"] = body
            if full_url:
                self.known[full_url] = body  # urn:uuid: references inside a transaction Bundle (Synthea)

    def __call__(self, container: dict, reference: Any) -> dict | None:
        target = reference.get("reference") if isinstance(reference, dict) else reference
        if not isinstance(target, str) or not target:
            return None
        if target.startswith("#"):
            contained = [c for c in container.get("contained") or [] if isinstance(c, dict)]
            return next((c for c in contained if c.get("id") == target[1:]), None)
        pair = _type_and_id(target)
        key = f"{pair[0]}/{pair[1]}" if pair else target
        if key not in self.known:
            self.known[key] = self._stored(target, pair) or {}
        return self.known[key] or None

    def _stored(self, target: str, pair: tuple[str, str] | None) -> dict | None:
        if pair is not None:
            return stored_resource(session=self.session, user_id=self.user_id, resource_type=pair[0], fhir_id=pair[1])
        if not self.urls_loaded:  # urn:uuid: (a transaction Bundle): no index on full_url, so one read for them all
            self.urls_loaded = True
            rows = self.session.execute(
                select(RecordResource.full_url, RecordResource.body).where(
                    RecordResource.user_id == self.user_id,
                    RecordResource.resource_type.in_(REFERENCED_TYPES),
                    RecordResource.full_url.startswith("urn:"),
                )
            )
            for full_url, body in rows:
                self.known.setdefault(full_url, body)
            return self.known.get(target)
        return None


def _rows(session: Session, user_id: int, section: Section) -> list[tuple[int, str, dict]]:
    query = select(RecordResource.id, RecordResource.full_url, RecordResource.body).where(
        RecordResource.user_id == user_id, RecordResource.resource_type.in_(section.resource_types)
    )
    if section.profile:
        query = query.where(RecordResource.profile.contains(section.profile))
    rows = session.execute(query.order_by(RecordResource.id))
    return [(row_id, full_url, body) for row_id, full_url, body in rows if isinstance(body, dict)]


def _sources(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(RecordProvenance.resource_id, RecordProvenance.source_name, RecordProvenance.source_kind)
        .where(RecordProvenance.resource_id.in_(ids))
        .order_by(RecordProvenance.resource_id, RecordProvenance.source_name)
    )
    for resource_id, name, kind in rows:
        if not (kind == "file" and _FILE_NAME.search(name)):
            found.setdefault(resource_id, []).append(name)
    return found


def _used_devices(bodies: Iterable[dict]) -> set[str]:
    """Devices a DeviceUseStatement shows already (by 'Device/id')."""
    used = set()
    for body in bodies:
        if body.get("resourceType") == "DeviceUseStatement":
            reference = (body.get("device") or {}).get("reference") if isinstance(body.get("device"), dict) else None
            pair = _type_and_id(reference) if isinstance(reference, str) else None
            if pair:
                used.add(f"{pair[0]}/{pair[1]}")
    return used


def _order(group: str, items: list[SectionItem]) -> tuple[SectionItem, ...]:
    """Important and current first, then newest first; coming appointments soonest first."""
    far = datetime.max.replace(tzinfo=utcnow().tzinfo)
    if group == "upcoming":
        return tuple(sorted(items, key=lambda i: i.moment or far))
    items = sorted(items, key=lambda i: i.moment or datetime.min.replace(tzinfo=far.tzinfo), reverse=True)
    return tuple(sorted(items, key=lambda i: (not i.important, not i.current)))


def section_items(
    *, session: Session, user_id: int, section: Section, now: datetime | None = None
) -> list[SectionItem]:
    """Every item of a section, the same fact from several sources once (with every source named)."""
    now = now or utcnow()
    rows = _rows(session, user_id, section)
    resolve = _Resolver(session, user_id, [(full_url, body) for _id, full_url, body in rows])
    used = _used_devices(body for _id, _url, body in rows)
    sources = _sources(session, [row_id for row_id, _url, _body in rows])
    merged: dict[tuple, SectionItem] = {}
    for row_id, _url, body in rows:
        if body.get("resourceType") == "Device" and f"Device/{body.get('id')}" in used:
            continue
        for item in present(body, resolve, now):
            key = item.key()
            known = merged.get(key)
            names = tuple(dict.fromkeys((*(known.sources if known else ()), *sources.get(row_id, ()))))
            merged[key] = (known or item).with_sources(names)
    if section.planned_visits:
        for item in _planned_visits(session, user_id, now):
            merged.setdefault(item.key(), item)
    return list(merged.values())


def _planned_visits(session: Session, user_id: int, now: datetime) -> list[SectionItem]:
    """Visits (Encounter, status 'planned') from the visits' own rows: already normalised, no bodies to read."""
    rows = (
        session.execute(
            select(RecordEntry).where(
                RecordEntry.user_id == user_id, RecordEntry.category == "visit", RecordEntry.status == "planned"
            )
        )
        .scalars()
        .all()
    )
    sources = sources_of(session, [e.id for e in rows if e.id])
    found = []
    for entry in rows:
        organisation = str((entry.details or {}).get("organisation") or "")
        item = planned_visit(entry.title, entry.effective_text, organisation, now)
        names = tuple(str(s) for s in sources.get(entry.id or 0, ()) if not isinstance(s, FileName))
        found.append(item.with_sources(names))
    return found


def section_page(
    *, session: Session, user_id: int, slug: str, now: datetime | None = None, page: int = 1, per_page: int = 25
) -> SectionPage:
    """One page of a section: its items in the order of its groups (important and current first, coming appointments
    soonest first), ``per_page`` at a time, each group under its heading."""
    section = SECTIONS[slug]
    items = section_items(session=session, user_id=user_id, section=section, now=now)
    keys = [key for key, _heading in section.groups] or [""]
    ordered = [i for key in keys for i in _order(key, [i for i in items if i.group == key or not section.groups])]
    pages = max(1, -(-len(ordered) // per_page))
    page = min(max(1, page), pages)
    shown = ordered[(page - 1) * per_page : page * per_page]
    headings = dict(section.groups)
    groups = []
    for key in keys:
        mine = tuple(i for i in shown if i.group == key or not section.groups)
        if mine:
            groups.append(Group(key, headings.get(key), mine))
    return SectionPage(section, tuple(groups), page, pages, len(ordered))


def section_counts(*, session: Session, user_id: int, now: datetime | None = None) -> dict[str, int]:
    """How many items each section holds (the page that lists the sections)."""
    counts = {}
    for slug, section in SECTIONS.items():
        counts[slug] = len(section_items(session=session, user_id=user_id, section=section, now=now))
    return counts


def prominent(*, session: Session, user_id: int, now: datetime | None = None) -> dict[str, tuple[SectionItem, ...]]:
    """What the records overview shows first: the alerts and the directives that apply now."""
    found = {}
    for slug in PROMINENT:
        items = section_items(session=session, user_id=user_id, section=SECTIONS[slug], now=now)
        found[slug] = _order("", [i for i in items if i.current])
    return found
