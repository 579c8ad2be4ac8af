"""Entering a measurement: one call per form submission.

A refused entry stores nothing. A confirmed one is stored exactly once: every form carries an idempotency
token (``new_form_token``), unique per person; sending the same form twice returns the first measurement.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pgo.clock import utcnow
from pgo.i18n import _, use_locale
from pgo.levels import ReadingLevel
from pgo.localtime import local_day, local_to_utc
from pgo.measurements.models import Measurement, Source
from pgo.measurements.thresholds import Advice, advice_for
from pgo.measurements.types import get_type
from pgo.measurements.validation import reading_level, validate_entry


class EntryStatus(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # the same form again: nothing new stored
    INVALID = "invalid"  # refused: see errors
    CONFIRM = "confirm"  # unlikely values: ask the person to confirm


@dataclass
class EntryResult:
    status: EntryStatus
    measurement: Measurement | None = None
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    warnings: dict[str, str] = field(default_factory=dict)  # field name -> message (to confirm)
    advice: Advice | None = None

    @property
    def stored(self) -> bool:
        return self.measurement is not None


# Letters, digits and _ . : - (what new_form_token and the CSV and demo tokens use); nothing else is ours.
_TOKEN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def new_form_token() -> str:
    """A fresh idempotency token for one entry form."""
    return secrets.token_urlsafe(24)


def find_by_token(*, session: Session, user_id: int, token: str) -> Measurement | None:
    query = select(Measurement).where(Measurement.user_id == user_id, Measurement.idempotency_token == token)
    return session.exec(query).first()


def store_once(*, session: Session, measurement: Measurement) -> tuple[Measurement, bool]:
    """Insert ``measurement`` unless one with its token exists; (the stored one, whether it is new)."""
    existing = find_by_token(session=session, user_id=measurement.user_id, token=measurement.idempotency_token)
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            session.add(measurement)
            session.flush()
    except IntegrityError:  # another request with the same token won the race
        existing = find_by_token(session=session, user_id=measurement.user_id, token=measurement.idempotency_token)
        if existing is None:
            raise
        return existing, False
    return measurement, True


def record_measurement(
    *,
    session: Session,
    user_id: int,
    type: str,
    form_values: Mapping[str, object],
    unit: str | None,
    measured_at: datetime | None,
    token: str,
    confirm: bool = False,
    level: str = ReadingLevel.STANDARD,
    lang: str = "nl",
    now: datetime | None = None,
    entered_by_id: int | None = None,
) -> EntryResult:
    """Check and store one entry. ``measured_at`` without a time zone is Dutch local time.

    Raises ``UnknownMeasurementType`` for a type that does not exist and ``ValueError`` without a token.
    """
    if not token:
        raise ValueError("every entry form needs an idempotency token")
    mtype = get_type(type)
    level = reading_level(level)
    with use_locale(lang):
        if not _TOKEN.fullmatch(token):
            return EntryResult(
                EntryStatus.INVALID, errors={"form": _("This form is no longer valid. Reload the page.")}
            )
        existing = find_by_token(session=session, user_id=user_id, token=token)
        if existing is not None:
            return EntryResult(EntryStatus.DUPLICATE, existing, advice=_advice(session, existing, level))
        now = now or utcnow()
        moment = local_to_utc(measured_at) if measured_at is not None else None
        check = validate_entry(mtype, form_values, unit, moment, now=now, level=level)
        if not check.ok:
            return EntryResult(EntryStatus.INVALID, errors=check.errors, warnings=check.warnings)
        if check.warnings and not confirm:
            return EntryResult(EntryStatus.CONFIRM, warnings=check.warnings)
        measurement = Measurement(
            user_id=user_id,
            type=mtype.key,
            values=check.values,
            unit=mtype.unit,
            entered_values=check.entered,
            entered_unit=check.unit,
            measured_at=moment,
            entered_at=now,
            source=Source.ENTERED,
            note=check.note,
            idempotency_token=token,
            entered_by_id=entered_by_id,  # a helper entering it for the patient (#21)
        )
        advice = apply_advice(session=session, measurement=measurement, level=level)
        stored, new = store_once(session=session, measurement=measurement)
        if not new:
            return EntryResult(EntryStatus.DUPLICATE, stored, advice=_advice(session, stored, level))
        return EntryResult(EntryStatus.STORED, stored, warnings=check.warnings, advice=advice)


def apply_advice(
    *, session: Session, measurement: Measurement, level: str = ReadingLevel.STANDARD, rules: list | None = None
) -> Advice:
    """Work out the advice for a new measurement and set its care-team flag and severity (``rules``: the
    person's limits when the caller looked them up already)."""
    advice = advice_for(
        session=session,
        user_id=measurement.user_id,
        type=measurement.type,
        values=measurement.values,
        today=local_day(measurement.measured_at),
        level=level,
        rules=rules,
    )
    measurement.flagged = advice.flag_for_team
    measurement.severity = advice.severity
    return advice


def _advice(session: Session, measurement: Measurement, level: str) -> Advice:
    return advice_for(
        session=session,
        user_id=measurement.user_id,
        type=measurement.type,
        values=measurement.values,
        today=local_day(measurement.measured_at),
        level=level,
    )


def advice_for_measurement(
    *, session: Session, measurement: Measurement, level: str = ReadingLevel.STANDARD, lang: str = "nl"
) -> Advice:
    """The advice for a stored measurement, e.g. on the page the entry form redirects to."""
    with use_locale(lang):
        return _advice(session, measurement, reading_level(level))


def flagged_for_team(*, session: Session, patient_ids: Iterable[int], since: datetime) -> list[Measurement]:
    """Measurements outside a threshold since ``since``, for these patients, newest first."""
    ids = list(patient_ids)
    if not ids:
        return []
    query = (
        select(Measurement)
        .where(col(Measurement.user_id).in_(ids), Measurement.flagged, Measurement.measured_at >= since)
        .order_by(col(Measurement.measured_at).desc())
    )
    return list(session.exec(query))
