"""Vital signs in imported FHIR records become measurements, so they appear in the same history."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlmodel import Session, col, select

from pgo.bulk import ids_by_key, insert_many
from pgo.clock import utcnow
from pgo.localtime import local_day
from pgo.measurements.fhir import imported_fields, measurement_from_observation, observation_for
from pgo.measurements.models import Measurement, Source
from pgo.measurements.thresholds import assess, personal_rules_by_day


def store_imported_vital_signs(
    *,
    session: Session,
    user_id: int,
    resources: Iterable[dict],
    source: str,
    import_file_id: int | None = None,
) -> int:
    """Import listener (named in pgo.features): store every home-measurement Observation once; returns how many new.

    Works per batch of the import, inside the import's transaction (a refused file leaves no measurement behind):
    one query for the tokens already there, one for the person's limits on every day of the batch, one insert.
    Each row gets what ``apply_advice`` and the model's defaults would give it (see pgo.measurements.entry).
    """
    batch: dict[str, dict] = {}
    for resource in resources:
        mapped = measurement_from_observation(resource)
        if mapped is not None:
            fields = imported_fields(user_id=user_id, mapped=mapped, origin=source)
            batch.setdefault(fields["idempotency_token"], fields)
    if not batch:
        return 0
    stored = dict(ids_by_key(session, "measurement", "idempotency_token", user_id, list(batch)))
    new = [fields for token, fields in batch.items() if token not in stored]
    if not new:
        return 0
    days = [(fields["type"], local_day(fields["measured_at"])) for fields in new]
    rules = personal_rules_by_day(session=session, user_id=user_id, keys=days)
    now = utcnow()
    for fields, key in zip(new, days, strict=True):
        severity, flagged = assess(fields["values"], rules[key], fields["type"])
        fields.update(entered_values={}, entered_unit="", entered_at=now, flagged=flagged, severity=severity)
        fields["import_file_id"] = import_file_id  # hidden with the import's other rows until it is done (#17)
    insert_many(
        session,
        Measurement.__table__,  # type: ignore[attr-defined]
        new,
        fixed=("user_id", "source", "entered_values", "entered_unit", "entered_at", "import_file_id"),
    )
    return len(new)


def measurements_for_export(*, session: Session, user_id: int) -> Iterator[dict]:
    """Export contributor (named in pgo.features): the person's own measurements (entered or from a device file) as
    Observations. Imported ones are left out: the export already holds the records they were read from, and
    exporting both would double them on the next import."""
    query = (
        select(Measurement)
        .where(Measurement.user_id == user_id, Measurement.source != Source.IMPORTED)
        .order_by(col(Measurement.measured_at))
    )
    for measurement in session.exec(query):
        yield observation_for(measurement)
