"""Vital signs in imported FHIR records become measurements, so they appear in the same history."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlmodel import Session, col, select

from pgo.measurements.fhir import measurement_from_observation, observation_for, store_imported_measurement
from pgo.measurements.models import Measurement, Source


def store_imported_vital_signs(*, session: Session, user_id: int, resources: Iterable[dict], source: str) -> int:
    """Import listener (see pgo.wiring): store every home-measurement Observation once; returns how many."""
    count = 0
    for resource in resources:
        mapped = measurement_from_observation(resource)
        if mapped is not None:
            store_imported_measurement(session=session, user_id=user_id, mapped=mapped, origin=source)
            count += 1
    return count


def measurements_for_export(*, session: Session, user_id: int) -> Iterator[dict]:
    """Export contributor (see pgo.wiring): the person's own measurements (entered or from a device file) as
    Observations. Imported ones are left out: the export already holds the records they were read from, and
    exporting both would double them on the next import."""
    query = (
        select(Measurement)
        .where(Measurement.user_id == user_id, Measurement.source != Source.IMPORTED)
        .order_by(col(Measurement.measured_at))
    )
    for measurement in session.exec(query):
        yield observation_for(measurement)
