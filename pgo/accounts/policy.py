"""Who may do what with whose data: one small policy the web layer asks per request.

``may(actor, action, patient_id, category, session=...)`` answers for an anonymous visitor, the patient
themselves, a clinician with or without a current grant, and a clinician of another team. Everything not
listed is refused, so a route matrix can be generated from ``Action`` and these rules.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from sqlmodel import Session

from pgo.accounts.consent import CATEGORIES, can_view, teams_with_access
from pgo.accounts.models import User


class Action(StrEnum):
    PUBLIC = "public"  # start page, sign-in, help
    OWN_ACCOUNT = "account.own"  # own settings, sign-out, second factor
    VIEW_DATA = "data.view"  # a patient's data of one category
    EXPORT_DATA = "data.export"
    VIEW_CONSENT = "consent.view"
    CHANGE_CONSENT = "consent.change"
    VIEW_ACCESS_LOG = "access_log.view"
    VIEW_NOTES = "notes.view"
    WRITE_NOTES = "notes.write"
    CLINIC_PATIENTS = "clinic.patients"  # the clinician's list of consenting patients


Rule = Callable[[User, int | None, str | None, Session], bool]


def _is_self(actor: User, patient_id: int | None) -> bool:
    return actor.is_patient and patient_id is not None and actor.id == patient_id


def _self_only(actor: User, patient_id: int | None, _category: str | None, _session: Session) -> bool:
    return _is_self(actor, patient_id)


def _self_or_granted(actor: User, patient_id: int | None, category: str | None, session: Session) -> bool:
    if category not in CATEGORIES or patient_id is None:
        return False
    if _is_self(actor, patient_id):
        return True
    return actor.is_clinician and can_view(
        session=session, clinician_id=actor.id, patient_id=patient_id, category=category
    )


def _team_with_access(actor: User, patient_id: int | None, _category: str | None, session: Session) -> bool:
    # teams_with_access answers [] for an account that is not a clinician (now): the role is checked there, once
    # (#23, 2026-12-03).
    return patient_id is not None and bool(
        teams_with_access(session=session, clinician_id=actor.id, patient_id=patient_id)
    )


RULES: dict[str, Rule] = {
    Action.OWN_ACCOUNT: lambda actor, _p, _c, _s: True,
    Action.VIEW_DATA: _self_or_granted,
    Action.EXPORT_DATA: _self_or_granted,
    Action.VIEW_CONSENT: _self_only,
    Action.CHANGE_CONSENT: _self_only,
    Action.VIEW_ACCESS_LOG: _self_only,
    Action.VIEW_NOTES: _team_with_access,
    Action.WRITE_NOTES: _team_with_access,
    Action.CLINIC_PATIENTS: lambda actor, _p, _c, _s: actor.is_clinician,
}


def may(
    actor: User | None,
    action: str,
    patient_id: int | None = None,
    category: str | None = None,
    *,
    session: Session,
) -> bool:
    """Whether ``actor`` (None: not signed in) may do ``action`` on ``patient_id``'s ``category`` data."""
    if action == Action.PUBLIC:
        return True
    rule = RULES.get(action)
    if actor is None or actor.id is None or rule is None:
        return False
    return rule(actor, patient_id, category, session)
