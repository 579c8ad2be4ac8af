"""Measurement plans: what a clinician asks a patient to measure, shown to the patient as a checklist.

A plan says a type, how often a day (a number, or times of day like "08:00") and for how many days.
The checklist for a day is counted from that day's entries (any source): the first entry of the day ticks
off the first slot, the second the second, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from pgo.i18n import _, use_locale
from pgo.localtime import day_start_utc
from pgo.measurements.models import Measurement, MeasurementPlan, Severity, ThresholdRule
from pgo.measurements.types import get_type

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to measure today, done or not yet."""

    plan_id: int
    type: str
    type_label: str
    icon: str
    label: str  # "08:00" or "Measurement 1 of 2"
    time_of_day: str | None
    day_number: int  # day 3 ...
    days_total: int  # ... of 7
    done: bool
    measurement_id: int | None
    instructions: str


def create_plan(
    *,
    session: Session,
    patient_id: int,
    clinician_id: int,
    type: str,
    days: int,
    start_date: date,
    times_per_day: int | None = None,
    times_of_day: Iterable[str] | None = None,
    instructions: str = "",
    thresholds: Iterable[Mapping] = (),
) -> MeasurementPlan:
    """A new plan with its personal thresholds, e.g. ``{"field_name": "systolic", "direction": "above",
    "limit_value": 180, "severity": "call_today", "advice": {"nl": {"standard": ...}, "en": {...}}}``."""
    mtype = get_type(type)
    times = sorted(times_of_day) if times_of_day else None
    if times and not all(_TIME.match(t) for t in times):
        raise ValueError("times of day are written HH:MM")
    per_day = len(times) if times else (times_per_day or 1)
    if days < 1 or per_day < 1:
        raise ValueError("a plan needs at least one day and one measurement a day")
    plan = MeasurementPlan(
        user_id=patient_id,
        clinician_id=clinician_id,
        type=mtype.key,
        times_per_day=per_day,
        times_of_day=times,
        days=days,
        start_date=start_date,
        end_date=start_date + timedelta(days=days - 1),
        instructions=instructions,
    )
    session.add(plan)
    session.flush()
    for spec in thresholds:
        add_threshold(session=session, patient_id=patient_id, type=mtype.key, plan_id=plan.id,
                      created_by=clinician_id, **spec)  # fmt: skip
    return plan


def add_threshold(
    *,
    session: Session,
    patient_id: int,
    type: str,
    limit_value: float,
    field_name: str = "value",
    direction: str = "above",
    severity: str = Severity.CONTACT_PRACTICE,
    advice: Mapping | None = None,
    plan_id: int | None = None,
    created_by: int | None = None,
) -> ThresholdRule:
    """A personal threshold for a patient (for one plan, or for the type when ``plan_id`` is empty)."""
    mtype = get_type(type)
    if field_name not in mtype.field_names or direction not in ("above", "below"):
        raise ValueError(f"no field {field_name!r} / direction {direction!r} for {type}")
    rule = ThresholdRule(
        user_id=patient_id,
        plan_id=plan_id,
        type=mtype.key,
        field_name=field_name,
        direction=direction,
        limit_value=float(limit_value),
        severity=Severity(severity),
        advice=dict(advice or {}),
        created_by=created_by,
    )
    session.add(rule)
    session.flush()
    return rule


def running_plans(*, session: Session, user_id: int, today: date) -> list[MeasurementPlan]:
    query = (
        select(MeasurementPlan)
        .where(MeasurementPlan.user_id == user_id, MeasurementPlan.start_date <= today)
        .where(MeasurementPlan.end_date >= today)
        .order_by(col(MeasurementPlan.id))
    )
    return list(session.exec(query))


def _entries_on(session: Session, user_id: int, type: str, day: date) -> list[Measurement]:
    query = (
        select(Measurement)
        .where(Measurement.user_id == user_id, Measurement.type == type)
        .where(Measurement.measured_at >= day_start_utc(day))
        .where(Measurement.measured_at < day_start_utc(day + timedelta(days=1)))
        .order_by(col(Measurement.measured_at))
    )
    return list(session.exec(query))


def _items(plan: MeasurementPlan, entries: list[Measurement], today: date) -> list[ChecklistItem]:
    mtype = get_type(plan.type)
    times = plan.times_of_day or [None] * plan.times_per_day
    items = []
    for index, time_of_day in enumerate(times):
        entry = entries[index] if index < len(entries) else None
        label = time_of_day or _("Measurement %(n)s of %(total)s", n=index + 1, total=len(times))
        items.append(
            ChecklistItem(
                plan_id=plan.id or 0,
                type=plan.type,
                type_label=str(mtype.label),
                icon=mtype.icon,
                label=label,
                time_of_day=time_of_day,
                day_number=(today - plan.start_date).days + 1,
                days_total=plan.days,
                done=entry is not None,
                measurement_id=entry.id if entry else None,
                instructions=plan.instructions,
            )
        )
    return items


def plan_checklist(*, session: Session, user_id: int, today: date, lang: str = "nl") -> list[ChecklistItem]:
    """What to measure today for every running plan, each done or not yet."""
    items: list[ChecklistItem] = []
    with use_locale(lang):
        for plan in running_plans(session=session, user_id=user_id, today=today):
            entries = _entries_on(session, user_id, plan.type, today)
            items.extend(_items(plan, entries, today))
    return items
