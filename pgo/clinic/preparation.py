"""The consultation preparation: one page a clinician reads in a minute before a shared-decision consultation.

The caller decides which categories the clinician may see (consent) and logs each view; this module only reads
what it is given access to. A category without access is ``None`` and the page says "no access".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from babel.dates import format_date
from sqlmodel import Session

from pgo.accounts.models import User
from pgo.clock import as_utc
from pgo.decisions import for_clinician as decisions
from pgo.decisions.aid import AidNotFound, load_aid
from pgo.decisions.listing import latest_response, option_name
from pgo.decisions.summary import ConsultationSummary, consultation_summary
from pgo.i18n import _, current_locale, ngettext, use_locale
from pgo.literacy.catalogue import default_catalogue
from pgo.localtime import LOCAL_ZONE, day_start_utc
from pgo.measurements import for_clinician as measurements
from pgo.measurements.entry import flagged_for_team
from pgo.measurements.history import (
    LAST_30_DAYS,
    HistoryRow,
    entered_by_texts,
    measurement_history,
    period_bounds,
    row_for,
)
from pgo.measurements.thresholds import personal_rules_by_day
from pgo.measurements.types import get_type
from pgo.paging import Paging, paging
from pgo.records import for_clinician as records
from pgo.records import queries, titles
from pgo.records.identity import PatientIdentity, patient_identity
from pgo.records.presenters import present

MEASUREMENT_WINDOW = timedelta(days=30)
MAX_PROBLEMS = 10


@dataclass(frozen=True)
class MeasurementTrend:
    label: str
    summary: str
    chart_svg: str  # built by pgo.measurements.chart (escaped there): the printed chart
    # the chart on screen: drawn at several widths with body-sized text, and its legend as text (#18)
    chart_variants: tuple[tuple[int, str], ...] = ()
    chart_legend: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MeasurementsPart:
    trends: tuple[MeasurementTrend, ...]
    flagged: tuple[HistoryRow, ...]


@dataclass(frozen=True)
class RecordLine:
    title: str
    detail: str


@dataclass(frozen=True)
class RecordsPart:
    medication: tuple[RecordLine, ...]
    problems: tuple[RecordLine, ...]


@dataclass(frozen=True)
class DecisionPart:
    aid_id: str
    aid_title: str
    question: str
    response_id: int | None
    summary: ConsultationSummary | None  # None when the patient has not started the aid
    option_choices: tuple[tuple[str, str], ...]  # for recording the decision made together
    decided: tuple[tuple[str, date, str], ...]  # (option name, date, note) recorded before, newest first
    relevant_labs: tuple[str, ...] = ()  # the aid's lab tests (explanation catalogue ids)


@dataclass
class Preparation:
    patient_id: int
    patient_name: str
    consultation_date: date | None
    offer_note: str
    decision: DecisionPart | None  # None: no access to decisions, or nothing offered or started
    measurements: MeasurementsPart | None  # None: no access
    records: RecordsPart | None  # None: no access
    since: datetime | None
    changes: list[str] = field(default_factory=list)
    identity: PatientIdentity | None = None  # None: no access to the records it comes from
    labs: tuple[RecordLine, ...] | None = None  # the decision's relevant lab results; None: nothing to show


def _decision_part(session: Session, patient_id: int, aid_id: str, lang: str) -> DecisionPart | None:
    try:
        aid = load_aid(aid_id)
    except AidNotFound:
        return None
    response = latest_response(session=session, user_id=patient_id, aid_id=aid.id)
    summary = (
        consultation_summary(session=session, patient_id=patient_id, response_id=response.id, lang=lang)
        if response
        else None
    )
    made = decisions.decisions_made(session=session, patient_id=patient_id, aid_id=aid.id)
    choices = tuple((code, option_name(aid, code, lang) or code) for code in (*aid.option_codes, "not-decided"))
    return DecisionPart(
        aid_id=aid.id,
        aid_title=aid.title.get(lang),
        question=aid.decision.get(lang),
        response_id=response.id if response else None,
        summary=summary,
        option_choices=choices,
        decided=tuple((option_name(aid, m.chosen_option, lang) or "", m.decided_on, m.note) for m in made),
        relevant_labs=aid.relevant_labs,
    )


def _measurements_part(session: Session, patient_id: int, today: date, now: datetime, lang: str) -> MeasurementsPart:
    """The last 30 days everywhere (#18): the heading, the chart, the summary and the flagged readings."""
    since = day_start_utc(period_bounds(LAST_30_DAYS, today)[0])
    types = measurements.types_measured_since(session=session, patient_id=patient_id, since=since)
    rules = personal_rules_by_day(session=session, user_id=patient_id, keys=[(key, today) for key in types])
    trends = []
    for key in sorted(types):
        history = measurement_history(
            session=session, user_id=patient_id, type=key, period=LAST_30_DAYS, today=today, lang=lang,
            with_rows=False, rules=rules[(key, today)], for_clinician=True, variants=True,
        )  # fmt: skip
        trends.append(
            MeasurementTrend(
                history.type_label, history.summary, history.chart_svg, history.chart_variants, history.chart_legend
            )
        )
    with use_locale(lang):
        readings = flagged_for_team(session=session, patient_ids=[patient_id], since=since)
        entered_by = entered_by_texts(session=session, measurements=readings)  # a helper's entries say so (#21)
        flagged = tuple(row_for(m, get_type(m.type), entered_by) for m in readings)
    return MeasurementsPart(tuple(trends), flagged)


def _records_part(session: Session, patient_id: int) -> RecordsPart:
    medication = queries.current_medication(session=session, user_id=patient_id, with_sources=False)
    return RecordsPart(tuple(RecordLine(m.title, m.dose) for m in medication), _problems(session, patient_id))


def _problems(session: Session, patient_id: int) -> tuple[RecordLine, ...]:
    """Active problems first, then the others, each newest first; with status and date, no clock time (#18)."""
    rows = records.problems(session=session, patient_id=patient_id, limit=MAX_PROBLEMS)
    lang = current_locale()
    return tuple(
        RecordLine(titles.record_title(row.title, row.code_key, row.category, lang), _problem_detail(row))
        for row in rows
    )


def _problem_detail(row) -> str:
    status = _("active") if row.is_current else _("not active")
    if row.effective_at is None:
        return status
    day = format_date(as_utc(row.effective_at).astimezone(LOCAL_ZONE).date(), "d MMM y", locale=current_locale())
    return _("%(status)s, since %(date)s", status=status, date=day)


def _latest_labs(session: Session, patient_id: int, lab_ids: Sequence[str], lang: str) -> tuple[RecordLine, ...]:
    """The latest result of each lab test the decision aid names (#18), by the test's codes in the explanation
    catalogue (every LOINC code of the test): "eGFR: 58 ml/min/1,73m², 12 jun 2021, lower than the reference value"; a
    test without results says so."""
    catalogue = default_catalogue()
    lines = []
    with use_locale(lang):
        for lab_id in lab_ids:
            entry = catalogue.by_id.get(lab_id)
            if entry is None:
                continue
            keys = [f"{system}|{code}" for system, code in entry.codes]
            latest = records.latest_result(session=session, patient_id=patient_id, code_keys=keys)
            title = entry.title(lang) or lab_id
            if latest is None:
                lines.append(RecordLine(title, _("no result in the records")))
                continue
            shown = present(latest, {})
            parts = [shown.value or _("no value"), _day(latest)]
            if shown.flag:
                parts.append(shown.flag_label.lower())
            lines.append(RecordLine(title, ", ".join(p for p in parts if p)))
    return tuple(lines)


def _day(entry) -> str:
    if entry.effective_at is None:
        return ""
    return format_date(as_utc(entry.effective_at).astimezone(LOCAL_ZONE).date(), "d MMM y", locale=current_locale())


def _changes(session: Session, patient_id: int, since: datetime, allowed: set[str], lang: str) -> list[str]:
    changes = []
    with use_locale(lang):
        if "measurements" in allowed:
            n = measurements.entered_since(session=session, patient_id=patient_id, since=since)
            changes.append(ngettext("%(num)s new measurement", "%(num)s new measurements", n))
        if "records" in allowed:
            n = records.created_since(session=session, patient_id=patient_id, since=since)
            changes.append(ngettext("%(num)s new record", "%(num)s new records", n))
        if "decisions" in allowed:
            n = decisions.responses_changed_since(session=session, patient_id=patient_id, since=since)
            changes.append(
                ngettext("%(num)s decision aid with new answers", "%(num)s decision aids with new answers", n)
            )
    return changes


def consultation_preparation(
    *, session: Session, patient_id: int, allowed: set[str], today: date, now: datetime, lang: str
) -> Preparation:
    """Everything the preparation page shows, limited to the ``allowed`` categories (measurements, records,
    decisions)."""
    patient = session.get(User, patient_id)
    offer = None
    if "decisions" in allowed:
        offer = decisions.upcoming_offer(session=session, patient_id=patient_id, today=today)
    decision = None
    if "decisions" in allowed:
        aid_id = offer.aid_id if offer else None
        if aid_id is None:
            aid_id = decisions.newest_response_aid(session=session, patient_id=patient_id)
        decision = _decision_part(session, patient_id, aid_id, lang) if aid_id else None
    since = decisions.last_contact(session=session, patient_id=patient_id) if "decisions" in allowed else None
    labs = None
    if decision is not None and decision.relevant_labs and "records" in allowed:
        labs = _latest_labs(session, patient_id, decision.relevant_labs, lang)
    return Preparation(
        patient_id=patient_id,
        patient_name=(patient.name or patient.email) if patient else "",
        consultation_date=offer.consultation_date if offer else None,
        offer_note=offer.note if offer else "",
        decision=decision,
        measurements=_measurements_part(session, patient_id, today, now, lang) if "measurements" in allowed else None,
        records=_records_part(session, patient_id) if "records" in allowed else None,
        since=since,
        changes=_changes(session, patient_id, since, allowed, lang) if since else [],
        identity=(
            patient_identity(session=session, patient_id=patient_id, today=today) if "records" in allowed else None
        ),
        labs=labs,
    )


@dataclass(frozen=True)
class PatientRow:
    patient_id: int
    name: str
    categories: tuple[str, ...]
    offered: tuple[str, ...]  # titles of aids offered
    flagged: int | None  # flagged readings in the last 30 days; None without access to measurements
    team_id: int | None = None  # the team through which the clinician sees this patient

    @property
    def shown(self) -> list[str]:
        """Access-log codes for what the row shows of the patient's data (#17): offers, flag counts."""
        return [f"view:{category}" for category in ("decisions", "measurements") if category in self.categories]


PATIENTS_PER_PAGE = 50


@dataclass(frozen=True)
class PatientList:
    rows: tuple[PatientRow, ...]  # this page's patients, by name
    paging: Paging


def patient_rows(
    *, session: Session, clinician_id: int, now: datetime, lang: str, page: int = 1, per_page: int = PATIENTS_PER_PAGE
) -> PatientList:
    """One page of the clinician's consenting patients, by name, with what they were offered and how many readings
    were flagged.

    The same queries for ten patients or a thousand (issue #22): the count, this page's patients (consent joined in
    SQL), then the offers and the flagged counts of this page's patients only.
    """
    from pgo.accounts.consent import count_consenting_patients, visible_patients

    total = count_consenting_patients(session=session, clinician_id=clinician_id)
    shown = paging(total=total, page=page, per_page=per_page)
    patients = visible_patients(session=session, clinician_id=clinician_id, offset=shown.offset, limit=per_page)
    offered = decisions.offered_aids(
        session=session, patient_ids=[p.patient_id for p in patients if "decisions" in p.categories]
    )
    flagged = measurements.flagged_counts(
        session=session,
        patient_ids=[p.patient_id for p in patients if "measurements" in p.categories],
        since=now - MEASUREMENT_WINDOW,
    )
    rows = tuple(
        PatientRow(
            patient.patient_id,
            patient.name,
            patient.categories,
            tuple(dict.fromkeys(_aid_title(aid_id, lang) for aid_id in offered.get(patient.patient_id, ()))),
            flagged.get(patient.patient_id, 0) if "measurements" in patient.categories else None,
            patient.team_ids[0] if patient.team_ids else None,
        )
        for patient in patients
    )
    return PatientList(rows, shown)


def _aid_title(aid_id: str, lang: str) -> str:
    try:
        return load_aid(aid_id).title.get(lang)
    except AidNotFound:
        return aid_id


def no_access_text(lang: str) -> str:
    with use_locale(lang):
        return _("No access: the patient has not given consent for this.")
