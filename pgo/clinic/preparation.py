"""The consultation preparation: one page a clinician reads in a minute before a shared-decision consultation.

The caller decides which categories the clinician may see (consent) and logs each view; this module only reads
what it is given access to. A category without access is ``None`` and the page says "no access".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from babel.dates import format_date
from sqlalchemy import String, bindparam, exists, func, literal, union_all
from sqlmodel import Session, col, select

from pgo.accounts import audit
from pgo.accounts.models import User
from pgo.clinic.identity import PatientIdentity, patient_identity
from pgo.clock import as_utc
from pgo.decisions.aid import AidNotFound, load_aid
from pgo.decisions.listing import latest_response, option_name
from pgo.decisions.models import DecisionMade, DecisionOffer, DecisionResponse
from pgo.decisions.summary import ConsultationSummary, consultation_summary
from pgo.i18n import _, current_locale, ngettext, use_locale
from pgo.literacy.catalogue import default_catalogue
from pgo.localtime import LOCAL_ZONE, day_start_utc
from pgo.measurements.entry import flagged_for_team
from pgo.measurements.history import (
    LAST_30_DAYS,
    HistoryRow,
    entered_by_texts,
    measurement_history,
    period_bounds,
    row_for,
)
from pgo.measurements.models import Measurement
from pgo.measurements.thresholds import personal_rules_by_day
from pgo.measurements.types import TYPES, get_type
from pgo.paging import Paging, paging
from pgo.records import queries, titles
from pgo.records.models import RecordEntry
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


def _upcoming_offer(session: Session, patient_id: int, today: date) -> DecisionOffer | None:
    offers = session.exec(select(DecisionOffer).where(DecisionOffer.user_id == patient_id)).all()
    upcoming = sorted((o for o in offers if o.consultation_date >= today), key=lambda o: o.consultation_date)
    past = sorted((o for o in offers if o.consultation_date < today), key=lambda o: o.consultation_date)
    return upcoming[0] if upcoming else (past[-1] if past else None)


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
    made = session.exec(
        select(DecisionMade)
        .where(DecisionMade.user_id == patient_id, DecisionMade.aid_id == aid.id)
        .order_by(col(DecisionMade.decided_on).desc(), col(DecisionMade.id).desc())
    ).all()
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
    types = session.execute(_types_measured_query(), {"user_id": patient_id, "since": since}).scalars().all()
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


@lru_cache(maxsize=1)
def _types_measured_query():
    """Which types have a reading since ``since``: one index seek per known type (SELECT DISTINCT read every
    reading the person ever made). Built once."""
    return union_all(
        *(
            select(literal(key, String).label("type")).where(
                exists().where(
                    Measurement.user_id == bindparam("user_id"),
                    Measurement.type == key,
                    Measurement.measured_at >= bindparam("since"),
                )
            )
            for key in TYPES
        )
    )


def _records_part(session: Session, patient_id: int) -> RecordsPart:
    medication = queries.current_medication(session=session, user_id=patient_id, with_sources=False)
    return RecordsPart(tuple(RecordLine(m.title, m.dose) for m in medication), _problems(session, patient_id))


def _problems(session: Session, patient_id: int) -> tuple[RecordLine, ...]:
    """Active problems first, then the others, each newest first; with status and date, no clock time (#18)."""
    rows = session.exec(
        select(RecordEntry)
        .where(RecordEntry.user_id == patient_id, RecordEntry.category == "problem")
        .order_by(
            col(RecordEntry.is_current).desc(),
            col(RecordEntry.effective_at).desc().nulls_last(),
            col(RecordEntry.id).desc(),
        )
        .limit(MAX_PROBLEMS)
    ).all()
    lang = current_locale()
    return tuple(
        RecordLine(titles.record_title(row.title, row.code_key, row.category, lang), _problem_detail(row))
        for row in rows
    )


def _problem_detail(row: RecordEntry) -> str:
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
            latest = session.exec(
                select(RecordEntry)
                .where(
                    RecordEntry.user_id == patient_id,
                    RecordEntry.category == "result",
                    col(RecordEntry.code_key).in_(keys),
                )
                .order_by(col(RecordEntry.effective_at).desc().nulls_last(), col(RecordEntry.id).desc())
                .limit(1)
            ).first()
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


def _day(entry: RecordEntry) -> str:
    if entry.effective_at is None:
        return ""
    return format_date(as_utc(entry.effective_at).astimezone(LOCAL_ZONE).date(), "d MMM y", locale=current_locale())


def _last_contact(session: Session, patient_id: int) -> datetime | None:
    """When the care team last did something about a decision: the last decision recorded or aid offered."""
    moments = [
        session.exec(select(func.max(DecisionMade.created_at)).where(DecisionMade.user_id == patient_id)).first(),
        session.exec(select(func.max(DecisionOffer.created_at)).where(DecisionOffer.user_id == patient_id)).first(),
    ]
    found = [as_utc(m) for m in moments if m is not None]
    return max(found) if found else None


def _count(session: Session, statement) -> int:
    return int(session.exec(statement).one())


def _changes(session: Session, patient_id: int, since: datetime, allowed: set[str], lang: str) -> list[str]:
    changes = []
    with use_locale(lang):
        if "measurements" in allowed:
            n = _count(
                session,
                select(func.count())
                .select_from(Measurement)
                .where(Measurement.user_id == patient_id, Measurement.entered_at > since),
            )
            changes.append(ngettext("%(num)s new measurement", "%(num)s new measurements", n))
        if "records" in allowed:
            n = _count(
                session,
                select(func.count())
                .select_from(RecordEntry)
                .where(RecordEntry.user_id == patient_id, RecordEntry.created_at > since),
            )
            changes.append(ngettext("%(num)s new record", "%(num)s new records", n))
        if "decisions" in allowed:
            n = _count(
                session,
                select(func.count())
                .select_from(DecisionResponse)
                .where(DecisionResponse.user_id == patient_id, DecisionResponse.updated_at > since),
            )
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
    offer = _upcoming_offer(session, patient_id, today) if "decisions" in allowed else None
    decision = None
    if "decisions" in allowed:
        aid_id = offer.aid_id if offer else None
        if aid_id is None:
            newest = session.exec(
                select(DecisionResponse)
                .where(DecisionResponse.user_id == patient_id)
                .order_by(col(DecisionResponse.updated_at).desc())
            ).first()
            aid_id = newest.aid_id if newest else None
        decision = _decision_part(session, patient_id, aid_id, lang) if aid_id else None
    since = _last_contact(session, patient_id) if "decisions" in allowed else None
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
    offered = _offered_titles(session, [p.patient_id for p in patients if "decisions" in p.categories], lang)
    flagged = _flagged_counts(session, [p.patient_id for p in patients if "measurements" in p.categories], now)
    rows = tuple(
        PatientRow(
            patient.patient_id,
            patient.name,
            patient.categories,
            offered.get(patient.patient_id, ()),
            flagged.get(patient.patient_id, 0) if "measurements" in patient.categories else None,
            patient.team_ids[0] if patient.team_ids else None,
        )
        for patient in patients
    )
    return PatientList(rows, shown)


def _offered_titles(session: Session, patient_ids: list[int], lang: str) -> dict[int, tuple[str, ...]]:
    if not patient_ids:
        return {}
    rows = session.exec(
        select(DecisionOffer.user_id, DecisionOffer.aid_id)
        .where(col(DecisionOffer.user_id).in_(patient_ids))
        .order_by(col(DecisionOffer.id))
    ).all()
    titles: dict[int, dict[str, None]] = {}
    for patient_id, aid_id in rows:
        titles.setdefault(patient_id, {})[_aid_title(aid_id, lang)] = None
    return {patient_id: tuple(found) for patient_id, found in titles.items()}


def _flagged_counts(session: Session, patient_ids: list[int], now: datetime) -> dict[int, int]:
    if not patient_ids:
        return {}
    rows = session.exec(
        select(Measurement.user_id, func.count())
        .where(
            col(Measurement.user_id).in_(patient_ids),
            Measurement.flagged,
            Measurement.measured_at >= now - MEASUREMENT_WINDOW,
        )
        .group_by(col(Measurement.user_id))
    ).all()
    return dict(rows)


def log_patient_list(*, session: Session, clinician: User, rows: Sequence[PatientRow]) -> None:
    """The patient list shows per-patient data: one access-log entry per patient and category shown (#17), for
    the patients on the page shown, written with one lock of the log's head per category (#22)."""
    for category in ("decisions", "measurements"):
        audit.record_views_of_patients(
            session=session,
            actor_id=clinician.id,
            actor_role=clinician.role,
            views=[(row.patient_id, row.team_id) for row in rows if category in row.categories],
            what=f"view:{category}",
            purpose="care",
        )


def _aid_title(aid_id: str, lang: str) -> str:
    try:
        return load_aid(aid_id).title.get(lang)
    except AidNotFound:
        return aid_id


def no_access_text(lang: str) -> str:
    with use_locale(lang):
        return _("No access: the patient has not given consent for this.")
