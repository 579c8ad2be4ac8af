"""Vital signs in imported FHIR records become measurements, so they appear in the same history."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlmodel import Session, col, select

from pgo.measurements.fhir import imported_measurement, measurement_from_observation, observation_for
from pgo.measurements.localtime import local_day
from pgo.measurements.models import Measurement, Source
from pgo.measurements.thresholds import personal_rules


def store_imported_vital_signs(*, session: Session, user_id: int, resources: Iterable[dict], source: str) -> int:
    """Import listener (see pgo.wiring): store every home-measurement Observation once; returns how many new.

    Works per batch of the import (one query for the tokens already there, the person's limits looked up once
    per type and day, one flush), inside the import's transaction: a refused file leaves no measurement behind.
    """
    from pgo.measurements.entry import apply_advice

    batch: dict[str, Measurement] = {}
    for resource in resources:
        mapped = measurement_from_observation(resource)
        if mapped is not None:
            measurement = imported_measurement(user_id=user_id, mapped=mapped, origin=source)
            batch.setdefault(measurement.idempotency_token, measurement)
    if not batch:
        return 0
    stored = set(
        session.exec(
            select(Measurement.idempotency_token).where(
                Measurement.user_id == user_id, col(Measurement.idempotency_token).in_(list(batch))
            )
        )
    )
    new = [m for token, m in batch.items() if token not in stored]
    rules: dict[tuple, list] = {}
    for measurement in new:
        key = (measurement.type, local_day(measurement.measured_at))
        if key not in rules:
            rules[key] = personal_rules(session=session, user_id=user_id, type=key[0], today=key[1])
        apply_advice(session=session, measurement=measurement, rules=rules[key])
    session.add_all(new)
    session.flush()
    return len(new)


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
