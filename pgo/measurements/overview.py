"""What the measurements pages show, as presenters: the home overview, the last value, the flagged list.

No Flask here: the views call one function each and hand the result to a template.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import Select
from sqlmodel import Session, col, func, select

from pgo.accounts import consent
from pgo.accounts.consent import VisiblePatient, current_grants
from pgo.accounts.models import User
from pgo.i18n import use_locale
from pgo.measurements.history import value_text, when_text
from pgo.measurements.models import Measurement, MeasurementPlan, Severity
from pgo.measurements.plans import ChecklistItem, plan_checklist, running_plans
from pgo.measurements.thresholds import clinical_severity_word, severity_word
from pgo.measurements.types import TYPES, MeasurementType, get_type
from pgo.paging import Paging, paging

# The sprite (pgo/static/icons.svg) has one pictogram for measurements in general; types without their own
# pictogram use it.
SPRITE_ICONS = {"heart": "heart", "check-circle": "check", "info": "info", "message": "warning",
                "phone": "phone", "alert-triangle": "alert"}  # fmt: skip


def sprite_icon(name: str) -> str:
    return SPRITE_ICONS.get(name, "measurements")


@dataclass(frozen=True)
class LastValue:
    value: str
    when: str


@dataclass(frozen=True)
class TypeTile:
    key: str
    label: str
    icon: str
    last: LastValue | None
    planned: bool


@dataclass
class Overview:
    checklist: list[ChecklistItem] = field(default_factory=list)
    tiles: list[TypeTile] = field(default_factory=list)
    sharing: list[str] = field(default_factory=list)  # team labels with access to measurements

    @property
    def open_items(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if not item.done]


def last_measurement(*, session: Session, user_id: int, type: str) -> Measurement | None:
    query = (
        select(Measurement)
        .where(Measurement.user_id == user_id, Measurement.type == type)
        .order_by(col(Measurement.measured_at).desc())
        .limit(1)
    )
    return session.exec(query).first()


def last_value(*, session: Session, user_id: int, mtype: MeasurementType) -> LastValue | None:
    found = last_measurement(session=session, user_id=user_id, type=mtype.key)
    if found is None:
        return None
    return LastValue(value_text(mtype, found.values, found.note), when_text(found.measured_at))


def overview(*, session: Session, user_id: int, today: date, lang: str = "nl") -> Overview:
    """The measurements home: today's checklist, each type with its last value, who can see the values."""
    with use_locale(lang):
        result = Overview(checklist=plan_checklist(session=session, user_id=user_id, today=today, lang=lang))
        planned = {plan.type for plan in running_plans(session=session, user_id=user_id, today=today)}
        for mtype in TYPES.values():
            result.tiles.append(
                TypeTile(
                    mtype.key,
                    str(mtype.label),
                    sprite_icon(mtype.icon),
                    last_value(session=session, user_id=user_id, mtype=mtype),
                    mtype.key in planned,
                )
            )
        result.tiles.sort(key=lambda tile: (not tile.planned, tile.last is None))
        result.sharing = [
            grant.team_label
            for grant in current_grants(session=session, patient_id=user_id)
            if "measurements" in grant.categories
        ]
    return result


@dataclass(frozen=True)
class FlaggedReading:
    measurement_id: int
    patient_id: int
    patient_name: str
    type_label: str
    value: str
    when: str
    severity: str
    severity_word: str
    icon: str

    @property
    def clinical_word(self) -> str:
        """The status as the clinician's pages say it (#18)."""
        return clinical_severity_word(Severity(self.severity))


FLAGGED_PER_PAGE = 50


@dataclass(frozen=True)
class FlaggedPage:
    rows: tuple[FlaggedReading, ...]  # this page's readings, newest first
    paging: Paging


@dataclass(frozen=True)
class ClinicFlagged:
    """The clinician's page of flagged readings: one page of rows, the patients on it, and how many share."""

    rows: tuple[FlaggedReading, ...]
    paging: Paging
    patients: tuple[VisiblePatient, ...]  # the patients whose readings this page shows, with their teams
    sharing: int  # patients who share their measurements with this clinician


def flagged_for_clinician(
    *,
    session: Session,
    clinician_id: int,
    since: datetime,
    lang: str = "nl",
    page: int = 1,
    per_page: int = FLAGGED_PER_PAGE,
) -> ClinicFlagged:
    """One page of flagged readings of the patients who share their measurements with this clinician. Consent is
    joined in SQL and only the page's patients are read (#22)."""
    sharing = consent.consenting_patient_ids(clinician_id=clinician_id, category="measurements")
    found = flagged_readings(session=session, patient_ids=sharing, since=since, lang=lang, page=page, per_page=per_page)
    shown = consent.visible_patients(
        session=session, clinician_id=clinician_id, category="measurements", among={r.patient_id for r in found.rows}
    )
    count = consent.count_consenting_patients(session=session, clinician_id=clinician_id, category="measurements")
    return ClinicFlagged(found.rows, found.paging, tuple(shown), count)


def flagged_readings(
    *,
    session: Session,
    patient_ids: Iterable[int] | Select,
    since: datetime,
    lang: str = "nl",
    page: int = 1,
    per_page: int = FLAGGED_PER_PAGE,
) -> FlaggedPage:
    """One page of the readings outside a threshold since ``since`` for these patients (ids, or a subquery of
    them), newest first, as table rows. A count and one page of rows, whatever the size of the clinic (issue #22)."""
    from pgo.measurements.models import Severity
    from pgo.measurements.thresholds import ICONS

    ids = patient_ids if isinstance(patient_ids, Select) else list(patient_ids)
    if isinstance(ids, list) and not ids:
        return FlaggedPage((), paging(total=0, page=1, per_page=per_page))
    where = (col(Measurement.user_id).in_(ids), Measurement.flagged, Measurement.measured_at >= since)
    total = session.exec(select(func.count()).select_from(Measurement).where(*where)).one()
    shown = paging(total=total, page=page, per_page=per_page)
    found = session.exec(
        select(Measurement)
        .where(*where)
        .order_by(col(Measurement.measured_at).desc(), col(Measurement.id).desc())
        .offset(shown.offset)
        .limit(per_page)
    ).all()
    on_page = list({m.user_id for m in found})
    names = (
        {u.id: u.name or u.email for u in session.exec(select(User).where(col(User.id).in_(on_page)))}
        if on_page
        else {}
    )
    rows = []
    with use_locale(lang):
        for m in found:
            mtype = get_type(m.type)
            severity = Severity(m.severity)
            rows.append(
                FlaggedReading(
                    m.id or 0,
                    m.user_id,
                    names.get(m.user_id, ""),
                    str(mtype.label),
                    value_text(mtype, m.values, m.note),
                    when_text(m.measured_at),
                    severity,
                    severity_word(severity),
                    sprite_icon(ICONS[severity]),
                )
            )
    return FlaggedPage(tuple(rows), shown)


def plans_for(*, session: Session, patient_id: int, today: date) -> list[MeasurementPlan]:
    """The patient's plans that run today or start later, oldest first."""
    query = (
        select(MeasurementPlan)
        .where(MeasurementPlan.user_id == patient_id, MeasurementPlan.end_date >= today)
        .order_by(col(MeasurementPlan.start_date), col(MeasurementPlan.id))
    )
    return list(session.exec(query))


def parse_local_moment(day: str | None, clock: str | None) -> datetime | None:
    """A wall-clock moment from a date field (YYYY-MM-DD) and a time field (HH:MM), or None."""
    try:
        parsed_day = date.fromisoformat((day or "").strip())
        parsed_time = time.fromisoformat((clock or "").strip()) if (clock or "").strip() else None
    except ValueError:
        return None
    if parsed_time is None:
        return None
    return datetime.combine(parsed_day, parsed_time.replace(second=0, microsecond=0, tzinfo=None))


@dataclass(frozen=True)
class CsvRowView:
    line: int
    type_label: str
    value: str
    when: str
    warnings: list[str]


def csv_row(row) -> CsvRowView:
    """A good row of a CSV preview as a person reads it."""
    mtype = get_type(row.type)
    return CsvRowView(row.line, str(mtype.label), value_text(mtype, row.values, row.note), when_text(row.measured_at),
                      list(row.warnings.values()))  # fmt: skip
