"""CSV import from a home device export, in two steps: preview (nothing stored), then confirm.

Column format (UTF-8, first line is the header, column order free, names case-insensitive)::

    date,time,type,value,unit,systolic,diastolic,heart_rate,note
    2025-03-10,08:15,blood_pressure,,mmHg,142,88,71,
    2025-03-10,08:20,body_weight,"72,5",kg,,,,after breakfast
    10-03-2025,21:00,blood_glucose,110,mg/dL,,,,

- ``date``: YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY. ``time``: HH:MM (optional, default 12:00). Dutch local time.
- ``type``: blood_pressure, heart_rate, body_weight, body_height, body_temperature, blood_glucose,
  oxygen_saturation, waist_circumference, peak_flow, pain_score, feeling (Dutch names like "bloeddruk" and
  "gewicht" work too).
- ``value`` for single-value types; ``systolic``, ``diastolic`` and optional ``heart_rate`` for blood pressure.
- ``unit``: kg, lb, °C, °F, cm, in, mmol/L, mg/dL, mmHg, /min (bpm), %, L/min; empty means the usual unit.
- Separator: comma or semicolon (found from the header). With semicolons, decimal commas need no quotes.

Rows are checked like a form entry. Impossible values, future dates and unreadable rows are reported by line
number and never stored; unusual values are kept and marked, because the person confirms the whole file.
Importing the same rows again stores nothing new: each row's token is a hash of the person, type, time and
values.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlmodel import Session

from pgo.clock import utcnow
from pgo.i18n import _, use_locale
from pgo.levels import ReadingLevel
from pgo.localtime import local_to_utc
from pgo.measurements.entry import apply_advice, store_once
from pgo.measurements.models import Measurement, Source
from pgo.measurements.types import TYPES, get_type
from pgo.measurements.validation import reading_level, validate_entry

MAX_ROWS = 20_000
TYPE_ALIASES = {
    "bloeddruk": "blood_pressure",
    "hartslag": "heart_rate",
    "pols": "heart_rate",
    "gewicht": "body_weight",
    "lengte": "body_height",
    "temperatuur": "body_temperature",
    "glucose": "blood_glucose",
    "bloedsuiker": "blood_glucose",
    "saturatie": "oxygen_saturation",
    "zuurstof": "oxygen_saturation",
    "buikomvang": "waist_circumference",
    "piekstroom": "peak_flow",
    "pijn": "pain_score",
    "gevoel": "feeling",
}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


@dataclass(frozen=True)
class CsvRow:
    line: int
    type: str
    values: dict[str, float]
    entered: dict[str, float]
    unit: str
    measured_at: datetime
    note: str
    warnings: dict[str, str] = field(default_factory=dict)  # unusual values, for the preview


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclass
class CsvPreview:
    good: list[CsvRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    problem: str = ""  # the whole file could not be read


@dataclass(frozen=True)
class CsvImportReport:
    stored: int
    already_there: int
    flagged: int


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_time(text: str) -> time | None:
    if not text.strip():
        return time(12, 0)
    match = _TIME.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _reader(text: str) -> csv.DictReader:
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def _row(line: int, raw: dict, now: datetime, level: str) -> CsvRow | BadRow:
    cells = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
    key = cells.get("type", "").lower()
    key = TYPE_ALIASES.get(key, key)
    if key not in TYPES:
        return BadRow(line, _("Unknown type %(type)s.", type=cells.get("type", "") or "-"))
    day = _parse_date(cells.get("date", ""))
    clock = _parse_time(cells.get("time", ""))
    if day is None or clock is None:
        return BadRow(line, _("The date or time cannot be read. Write dates like 2025-03-10 and times like 08:15."))
    mtype = get_type(key)
    form = {name: cells.get(name) for name in mtype.field_names}
    form["note"] = cells.get("note", "")
    moment = local_to_utc(datetime.combine(day, clock))
    check = validate_entry(mtype, form, cells.get("unit") or None, moment, now=now, level=level)
    if not check.ok:
        return BadRow(line, " ".join(dict.fromkeys(check.errors.values())))
    return CsvRow(line, key, check.values, check.entered, check.unit, moment, check.note, check.warnings)


def parse_csv(
    text: str | bytes, *, level: str = ReadingLevel.STANDARD, lang: str = "nl", now: datetime | None = None
) -> CsvPreview:
    """Check every row; store nothing. Bad rows come back with their line number and the reason."""
    preview = CsvPreview()
    now = now or utcnow()
    level = reading_level(level)
    with use_locale(lang):
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError:
                preview.problem = _("This file is not a text file in UTF-8. Export it again as CSV.")
                return preview
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        try:
            reader = _reader(text)
            fields = {str(f).strip().lower() for f in (reader.fieldnames or [])}
            if not {"date", "type"} <= fields:
                preview.problem = _("The first line must name the columns, at least date and type.")
                return preview
            for raw in reader:
                line = reader.line_num
                if len(preview.good) + len(preview.bad) >= MAX_ROWS:
                    preview.problem = _("This file has too many rows. Import at most %(n)s at a time.", n=MAX_ROWS)
                    break
                if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                    continue
                result = _row(line, raw, now, level)
                (preview.good if isinstance(result, CsvRow) else preview.bad).append(result)
        except csv.Error:
            preview.problem = _("This file cannot be read as CSV.")
    return preview


def row_token(user_id: int, row: CsvRow) -> str:
    values = ",".join(f"{k}={row.values[k]:.3f}" for k in sorted(row.values))
    key = f"{user_id}|{row.type}|{row.measured_at.isoformat()}|{values}|{row.note}"
    return "csv:" + hashlib.sha256(key.encode()).hexdigest()[:40]


def confirm_csv(
    *, session: Session, user_id: int, preview: CsvPreview, file_name: str = "", level: str = ReadingLevel.STANDARD
) -> CsvImportReport:
    """Store the preview's good rows once; rows stored before (same file or not) are left alone."""
    stored = already = flagged = 0
    for row in preview.good:
        measurement = Measurement(
            user_id=user_id,
            type=row.type,
            values=row.values,
            unit=get_type(row.type).unit,
            entered_values=row.entered,
            entered_unit=row.unit,
            measured_at=row.measured_at,
            source=Source.CSV,
            source_ref=(f"{file_name}:{row.line}" if file_name else f"line {row.line}")[:500],
            note=row.note,
            idempotency_token=row_token(user_id, row),
        )
        apply_advice(session=session, measurement=measurement, level=level)
        _stored, new = store_once(session=session, measurement=measurement)
        stored += new
        already += not new
        flagged += new and measurement.flagged
    return CsvImportReport(stored, already, flagged)
