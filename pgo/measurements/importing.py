"""Vital signs in imported FHIR records become measurements, so they appear in the same history."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from pgo.measurements.fhir import measurement_from_observation, store_imported_measurement


def store_imported_vital_signs(*, session: Session, user_id: int, resources: Iterable[dict], source: str) -> int:
    """Import listener (see pgo.wiring): store every home-measurement Observation once; returns how many."""
    count = 0
    for resource in resources:
        mapped = measurement_from_observation(resource)
        if mapped is not None:
            store_imported_measurement(session=session, user_id=user_id, mapped=mapped, origin=source)
            count += 1
    return count
