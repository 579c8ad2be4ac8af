"""Checking one entry: every problem keyed by the form field it belongs to.

Impossible values are refused (``errors``); unlikely ones need the person's confirmation (``warnings``).
All values are checked in the type's canonical unit; messages give the limits in the unit the person used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pgo.clock import as_utc, before_earliest
from pgo.levels import ReadingLevel, known_level
from pgo.measurements import messages
from pgo.measurements.types import FieldSpec, MeasurementType, unit_code
from pgo.measurements.units import convert, parse_number

NOTE_LIMIT = 2000
# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass
class Validation:
    values: dict[str, float] = field(default_factory=dict)  # canonical unit
    entered: dict[str, float] = field(default_factory=dict)  # as the person typed them, as numbers
    unit: str = ""  # the UCUM unit the person used
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def needs_confirmation(self) -> bool:
        return not self.errors and bool(self.warnings)


def reading_level(level: str | None) -> str:
    return known_level(level)


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _entry_unit(mtype: MeasurementType, unit: str | None) -> str | None:
    if not unit:
        return mtype.entry_units[0]
    # #23 (2026-12-03): unit_code() gives every offered UCUM code back as itself, so no shortcut for those
    code = unit_code(unit)
    return code if code in mtype.entry_units else None


def _bounds(bounds: tuple[float, float], mtype: MeasurementType, unit: str) -> tuple[float, float]:
    return convert(bounds[0], mtype.unit, unit), convert(bounds[1], mtype.unit, unit)


def _check_field(spec: FieldSpec, raw: object, mtype: MeasurementType, unit: str, level: str, out: Validation):
    number = parse_number(raw)
    if number is None:
        out.errors[spec.name] = messages.not_a_number(spec, level)
        return
    if spec.whole_number and number != int(number):
        out.errors[spec.name] = messages.not_whole(spec, level)
        return
    canonical = convert(number, unit, mtype.unit)
    low, high = spec.plausible
    if not low <= canonical <= high:
        out.errors[spec.name] = messages.impossible(spec, number, *_bounds(spec.plausible, mtype, unit), unit, level)
        return
    out.entered[spec.name] = number
    out.values[spec.name] = round(canonical, 3)
    low, high = spec.usual
    if not low <= canonical <= high:
        out.warnings[spec.name] = messages.unlikely(spec, number, *_bounds(spec.usual, mtype, unit), unit, level)


def _check_numbers(mtype: MeasurementType, form_values: Mapping[str, object], unit: str, level: str, out):
    for spec in mtype.fields:
        raw = form_values.get(spec.name)
        if _is_blank(raw):
            if spec.required:
                out.errors[spec.name] = messages.missing(spec, unit, level)
            continue
        _check_field(spec, raw, mtype, unit, level, out)
    systolic, diastolic = out.values.get("systolic"), out.values.get("diastolic")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        out.errors["systolic"] = messages.systolic_not_above_diastolic(systolic, diastolic, level)
        out.warnings.pop("systolic", None)


def _check_note(mtype: MeasurementType, form_values: Mapping[str, object], level: str, out: Validation) -> None:
    raw = form_values.get("note")
    # Control characters (NUL among them) have no place in a note, and PostgreSQL refuses NUL in text.
    note = "".join(ch for ch in raw if ch in "\n\t" or ch >= " ").strip() if isinstance(raw, str) else ""
    if mtype.is_note and not note:
        out.errors["note"] = messages.note_missing(level)
    elif len(note) > NOTE_LIMIT:
        out.errors["note"] = messages.note_too_long(NOTE_LIMIT)
    out.note = note


def validate_entry(
    mtype: MeasurementType,
    form_values: Mapping[str, object],
    unit: str | None,
    measured_at: datetime | None,
    *,
    now: datetime,
    level: str = ReadingLevel.STANDARD,
) -> Validation:
    """Every problem with one entry, keyed by field name ("systolic", "unit", "measured_at", "note")."""
    level = reading_level(level)
    out = Validation()
    code = _entry_unit(mtype, unit)
    if code is None:
        out.errors["unit"] = messages.unknown_unit(level)
    elif not mtype.is_note:
        out.unit = code
        _check_numbers(mtype, form_values, code, level, out)
    _check_note(mtype, form_values, level, out)
    if measured_at is None:
        out.errors["measured_at"] = messages.no_time(level)
    elif as_utc(measured_at) > as_utc(now) + CLOCK_TOLERANCE:
        out.errors["measured_at"] = messages.in_future(level)
    elif before_earliest(measured_at):
        out.errors["measured_at"] = messages.too_early(level)
    return out
