"""Export: the person's whole record as one FHIR R4 Bundle (type collection).

Imported resources go out as received (STU3 ones too: their profile says so); other features add their own
resources (measurements, decision-aid answers) through a contributor named in the feature manifest
(pgo.features, ``export_contributors``): ``fn(session=..., user_id=...)`` yields FHIR resource dicts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from pgo.clock import utcnow
from pgo.records.models import RecordResource

Contributor = Callable[..., Iterable[dict[str, Any]]]


def _contributors() -> list[Contributor]:
    from pgo import features

    return features.export_contributors()


def _imported(session: Session, user_id: int) -> Iterator[tuple[str, dict]]:
    rows = session.execute(
        select(RecordResource.full_url, RecordResource.body)
        .where(RecordResource.user_id == user_id)
        .order_by(RecordResource.id)
        .execution_options(yield_per=500)
    )
    for row in rows:
        yield row[0], row[1]


def _full_url(resource: dict, given: str = "") -> str:
    if given:
        return given
    if resource.get("id"):
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, resource['resourceType'] + '/' + str(resource['id']))}"
    return f"urn:uuid:{uuid.uuid4()}"


def export_bundle(*, session: Session, user_id: int) -> dict[str, Any]:
    """The whole record as a FHIR R4 Bundle of type collection."""
    entries = []
    used: set[str] = set()
    for full_url, body in _imported(session, user_id):
        url = _full_url(body, full_url)
        if url in used:  # two versions of one resource: keep each, under its own fullUrl
            url = f"urn:uuid:{uuid.uuid4()}"
        used.add(url)
        entries.append({"fullUrl": url, "resource": body})
    for contributor in _contributors():
        for resource in contributor(session=session, user_id=user_id):
            entries.append({"fullUrl": _full_url(resource), "resource": resource})
    now = utcnow().isoformat()  # one moment for both (#23, 2026-12-03: they differed by the time of a call)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": now},
        "type": "collection",
        "timestamp": now,
        "entry": entries,
    }
