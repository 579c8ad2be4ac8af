"""Threshold rules and the advice that goes with them.

A clinician's personal rules for a patient (per plan or per type) replace the general rules for that type.
Without them, the general safe ranges below apply. Rules work on one field: "above" means at or above the
limit ("180 or more"), "below" means under it ("under 4").

General rules and their sources (facts carried over, wording our own):
- Blood pressure: NHG-Standaard Cardiovasculair risicomanagement (2019): home readings of 135/85 or more
  point to high blood pressure; 180 systolic or 110 diastolic is severely raised and needs contact the
  same day. Under 90 systolic is low (ESC 2018 hypotension remarks).
- Heart rate at rest: 40 to 120 per minute is handled at home; outside it, contact the practice
  (ESC 2019 SVT guideline defines tachycardia above 100; 120 leaves room for activity before measuring).
- Body temperature: fever from 38.0 °C; 40.0 °C or more or under 35.0 °C needs contact the same day
  (NHG-Standaard Koorts bij volwassenen, Thuisarts).
- Blood glucose: under 4.0 mmol/L is a hypo; 15 or more is high, 20 or more very high
  (NHG-Standaard Diabetes mellitus type 2, 2023).
- Oxygen saturation: NHS England "Pulse oximetry to detect early deterioration" (2021): 93-94 % get
  advice, 92 % or lower urgent help.
- Pain score: 8 or more out of 10 is severe pain worth a call (IASP / NRS conventions).
Body weight, height, waist and peak flow have no general rule: they need a personal baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from babel.support import LazyProxy
from sqlalchemy import text
from sqlmodel import Session, col, or_, select

from pgo.i18n import _, _l, current_locale
from pgo.levels import ReadingLevel
from pgo.measurements.models import MeasurementPlan, Severity, ThresholdRule

S = Severity


@dataclass(frozen=True)
class GeneralRule:
    type: str
    field_name: str
    direction: str
    limit_value: float
    severity: Severity
    reason: LazyProxy  # standard and detailed
    simple_reason: LazyProxy


GENERAL_RULES: tuple[GeneralRule, ...] = (
    GeneralRule(
        "blood_pressure", "systolic", "above", 180, S.CALL_TODAY,
        _l("Your blood pressure is very high."), _l("Your blood pressure is very high."),
    ),
    GeneralRule(
        "blood_pressure", "diastolic", "above", 110, S.CALL_TODAY,
        _l("Your blood pressure is very high."), _l("Your blood pressure is very high."),
    ),
    GeneralRule(
        "blood_pressure", "systolic", "above", 135, S.INFO,
        _l("Your blood pressure is higher than it should be."), _l("Your blood pressure is a bit high."),
    ),
    GeneralRule(
        "blood_pressure", "diastolic", "above", 85, S.INFO,
        _l("Your blood pressure is higher than it should be."), _l("Your blood pressure is a bit high."),
    ),
    GeneralRule(
        "blood_pressure", "systolic", "below", 90, S.INFO,
        _l("Your blood pressure is low."), _l("Your blood pressure is low."),
    ),
    *(
        GeneralRule(kind, name, "above", 120, S.CONTACT_PRACTICE,
                    _l("Your heart rate is fast."), _l("Your heart beats fast."))
        for kind, name in (("heart_rate", "value"), ("blood_pressure", "heart_rate"))
    ),
    *(
        GeneralRule(kind, name, "below", 40, S.CONTACT_PRACTICE,
                    _l("Your heart rate is slow."), _l("Your heart beats slowly."))
        for kind, name in (("heart_rate", "value"), ("blood_pressure", "heart_rate"))
    ),
    GeneralRule("body_temperature", "value", "above", 40, S.CALL_TODAY,
                _l("You have a high fever."), _l("You have a high fever.")),
    GeneralRule("body_temperature", "value", "above", 38, S.INFO,
                _l("You have a fever."), _l("You have a fever.")),
    GeneralRule("body_temperature", "value", "below", 35, S.CALL_TODAY,
                _l("Your body temperature is too low."), _l("You are too cold inside.")),
    GeneralRule("blood_glucose", "value", "below", 4, S.CONTACT_PRACTICE,
                _l("Your blood glucose is low (a hypo). Eat or drink something with sugar now "
                   "and measure again after 15 minutes."),
                _l("Your blood sugar is too low. Eat or drink something sweet now. "
                   "Measure again after 15 minutes.")),
    GeneralRule("blood_glucose", "value", "above", 20, S.CALL_TODAY,
                _l("Your blood glucose is very high."), _l("Your blood sugar is very high.")),
    GeneralRule("blood_glucose", "value", "above", 15, S.CONTACT_PRACTICE,
                _l("Your blood glucose is high."), _l("Your blood sugar is high.")),
    GeneralRule("oxygen_saturation", "value", "below", 93, S.EMERGENCY,
                _l("The oxygen in your blood is too low."), _l("There is too little oxygen in your blood.")),
    GeneralRule("oxygen_saturation", "value", "below", 95, S.CONTACT_PRACTICE,
                _l("The oxygen in your blood is lower than normal."),
                _l("There is less oxygen in your blood than normal.")),
    GeneralRule("pain_score", "value", "above", 8, S.CONTACT_PRACTICE,
                _l("You have severe pain."), _l("You have a lot of pain.")),
)  # fmt: skip

ICONS = {
    S.OK: "check-circle",
    S.INFO: "info",
    S.CONTACT_PRACTICE: "message",
    S.CALL_TODAY: "phone",
    S.EMERGENCY: "alert-triangle",
}


def severity_word(severity: Severity) -> str:
    return {
        S.OK: _("Within the limits"),
        # a reading above a limit is not merely "good to know" (#18): the word says what to do, as the advice does
        S.INFO: _("Mention it at your next visit"),
        S.CONTACT_PRACTICE: _("Contact your practice"),
        S.CALL_TODAY: _("Call your practice today"),
        S.EMERGENCY: _("Get help now"),
    }[severity]


def clinical_severity_word(severity: Severity) -> str:
    """A reading's status as the clinician's pages say it (#18): what the patient was advised, not the advice
    itself in the patient's words."""
    return {
        S.OK: _("Within the limits"),
        S.INFO: _("Advised: mention at the next visit"),
        S.CONTACT_PRACTICE: _("Advised: contact the practice"),
        S.CALL_TODAY: _("Advised: call today"),
        S.EMERGENCY: _("Advised: get help now (112)"),
    }[severity]


def action(severity: Severity, level: str) -> str:
    """What to do, by severity, at the person's reading level."""
    if severity == S.EMERGENCY:
        if level == ReadingLevel.SIMPLE:
            return _("Call 112 now.")
        return _("Call 112 or the out-of-hours GP service (huisartsenpost) now.")
    if severity == S.CALL_TODAY:
        if level == ReadingLevel.SIMPLE:
            return _("Call your doctor's practice today.")
        if level == ReadingLevel.DETAILED:
            return _(
                "Call your GP practice today and tell them this value. Call 112 if you also have chest "
                "pain, are short of breath, or have trouble speaking or seeing."
            )
        return _("Call your GP practice today.")
    if severity == S.CONTACT_PRACTICE:
        if level == ReadingLevel.SIMPLE:
            return _("Tell your doctor's practice about it in the next few days.")
        return _("Contact your GP practice in the next few days.")
    if severity == S.INFO:
        return _("Keep measuring as agreed and mention it at your next visit.")
    return ""


@dataclass(frozen=True)
class Hit:
    """One rule a measurement crossed (personal or general, as all rules of one advice are)."""

    severity: Severity
    text: str


@dataclass(frozen=True)
class Advice:
    """What a person reads after an entry: severity as a word and an icon, never by colour alone."""

    severity: str
    severity_word: str
    icon: str
    text: str
    details: list[str] = field(default_factory=list)  # every rule crossed, most urgent first
    personal: bool = False
    flag_for_team: bool = False


def crosses(direction: str, limit_value: float, value: float) -> bool:
    return value >= limit_value if direction == "above" else value < limit_value


def personal_rules(*, session: Session, user_id: int, type: str, today: date) -> list[ThresholdRule]:
    """The patient's own rules for ``type``: those of a running plan and those without a plan."""
    running = select(MeasurementPlan.id).where(
        MeasurementPlan.user_id == user_id, MeasurementPlan.start_date <= today, MeasurementPlan.end_date >= today
    )
    query = select(ThresholdRule).where(
        ThresholdRule.user_id == user_id,
        ThresholdRule.type == type,
        or_(ThresholdRule.plan_id.is_(None), ThresholdRule.plan_id.in_(running)),  # type: ignore[union-attr]
    )
    return list(session.exec(query))


def personal_rules_by_day(
    *, session: Session, user_id: int, keys: Iterable[tuple[str, date]]
) -> dict[tuple[str, date], list[ThresholdRule]]:
    """``personal_rules`` for many (type, day) pairs at once, e.g. every measurement of an import: one query for
    the person's rules of those types (with the dates of their plans), each pair then chosen in Python."""
    wanted = set(keys)
    if not wanted:
        return {}
    if not _has_rules(session, user_id):
        return {key: [] for key in wanted}
    query = (
        select(ThresholdRule, MeasurementPlan.user_id, MeasurementPlan.start_date, MeasurementPlan.end_date)
        .outerjoin(MeasurementPlan)  # on the one foreign key, ThresholdRule.plan_id
        .where(ThresholdRule.user_id == user_id, col(ThresholdRule.type).in_({kind for kind, _day in wanted}))
        .order_by(col(ThresholdRule.id))
    )
    found = list(session.exec(query))
    by_day: dict[tuple[str, date], list[ThresholdRule]] = {}
    for kind, day in wanted:
        by_day[(kind, day)] = [
            rule
            for rule, plan_user, start, end in found
            if rule.type == kind
            and (
                rule.plan_id is None
                or (plan_user == user_id and start is not None and end is not None and start <= day <= end)
            )
        ]
    return by_day


def _has_rules(session: Session, user_id: int) -> bool:
    """Whether the person has any limits, in plain SQL: most have none, and compiling the query above cost a
    fresh engine (a new database) more than the look-up."""
    session.flush()  # what the ORM query would see (it flushes first)
    # a textual statement with a named parameter: the driver's own placeholder is SQLAlchemy's concern (#23)
    sql = text(f"SELECT 1 FROM {ThresholdRule.__tablename__} WHERE user_id = :user_id LIMIT 1")  # noqa: S608
    return session.connection().execute(sql, {"user_id": user_id}).first() is not None


def _personal_text(rule: ThresholdRule, level: str) -> str:
    texts = rule.advice.get(current_locale()) or {}
    text = texts.get(level) or texts.get(ReadingLevel.STANDARD) or next(iter(texts.values()), "")
    if text:
        return text
    reason = _("Your value is outside the limit your care team set.")
    return f"{reason} {action(Severity(rule.severity), level)}".strip()


def _general_text(rule: GeneralRule, level: str) -> str:
    reason = str(rule.simple_reason if level == ReadingLevel.SIMPLE else rule.reason)
    return f"{reason} {action(rule.severity, level)}".strip()


def _crossed(values: dict, rules: list[ThresholdRule] | None, type: str) -> Iterator[ThresholdRule | GeneralRule]:
    """The rules these values cross: the personal ones when there are any, else the general ones for ``type``."""
    if rules:
        for rule in rules:
            value = values.get(rule.field_name)
            if value is not None and crosses(rule.direction, rule.limit_value, value):
                yield rule
    else:
        for general in GENERAL_RULES:
            value = values.get(general.field_name)
            if general.type == type and value is not None and crosses(general.direction, general.limit_value, value):
                yield general


def hits_for(values: dict, rules: list[ThresholdRule] | None, type: str, level: str) -> list[Hit]:
    personal = bool(rules)
    hits = [
        Hit(Severity(rule.severity), _personal_text(rule, level))  # type: ignore[arg-type]
        if personal
        else Hit(rule.severity, _general_text(rule, level))  # type: ignore[arg-type]
        for rule in _crossed(values, rules, type)
    ]
    hits.sort(key=lambda hit: -hit.severity.rank)
    return hits


def assess(values: dict, rules: list[ThresholdRule] | None, type: str) -> tuple[Severity, bool]:
    """(severity, flag_for_team) of ``advice_for`` with these ``rules``, without making its texts: what a stored
    measurement keeps (the importer works this out for thousands of measurements)."""
    severities = [Severity(rule.severity) for rule in _crossed(values, rules, type)]
    if not severities:
        return S.OK, False
    # as in advice_for: a personal limit crossed is always for the team, a general one from "contact practice" up
    return max(severities, key=lambda severity: severity.rank), bool(rules) or any(
        severity.rank >= S.CONTACT_PRACTICE.rank for severity in severities
    )


def has_general_rules(type: str) -> bool:
    return any(rule.type == type for rule in GENERAL_RULES)


def advice_for(
    *,
    session: Session,
    user_id: int,
    type: str,
    values: dict,
    today: date,
    level: str = ReadingLevel.STANDARD,
    rules: list[ThresholdRule] | None = None,
) -> Advice:
    """The advice for these canonical ``values``; ``flag_for_team`` when the care team should look."""
    if rules is None:
        rules = personal_rules(session=session, user_id=user_id, type=type, today=today)
    hits = hits_for(values, rules, type, level)
    personal = bool(rules)
    if not hits:
        if personal or has_general_rules(type):
            text = (
                _("Your value is within the limits your care team set.")
                if personal
                else _("Your value is within the safe range.")
            )
        else:
            text = _("Your measurement has been saved.")
        return Advice(S.OK, severity_word(S.OK), ICONS[S.OK], text, personal=personal)
    worst = hits[0]
    # Personal limits are set on purpose: crossing any of them is for the team. General "info" rules
    # (e.g. 135/85) are too common to flag.
    flag = personal or any(hit.severity.rank >= S.CONTACT_PRACTICE.rank for hit in hits)
    details = list(dict.fromkeys(hit.text for hit in hits))
    return Advice(
        worst.severity,
        severity_word(worst.severity),
        ICONS[worst.severity],
        worst.text,
        details,
        personal=personal,
        flag_for_team=flag,
    )
