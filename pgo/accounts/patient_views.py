"""Whose data a page shows, and the access log entry when it is not the person's own.

Every view of patient data goes through ``patient_in_view``: a patient sees only themselves; a helper acting
for a patient sees that patient within the helper's scope (#21, ``pgo.accounts.acting_views``); a clinician sees a
patient only with a current consent grant for that category, and each such view is written to the access log
(NEN 7513) before the page is built. Anyone else gets 404, so that ids cannot be probed (no IDOR).
"""

from __future__ import annotations

from flask import abort, g

from pgo.accounts import audit, consent
from pgo.accounts.models import User
from pgo.web.database import get_session


def patient_in_view(patient_id: int | None, *, category: str, what: str, purpose: str = "care") -> User:
    """The patient whose ``category`` data this request may show; ``what`` is the access-log code (view:...)."""
    patient, _shown = _in_view(patient_id, {category: what}, purpose=purpose, required=category)
    return patient


def categories_in_view(
    patient_id: int, categories: tuple[str, ...], *, required: str, purpose: str = "care"
) -> tuple[User, set[str]]:
    """A page that shows several categories of one patient: the patient and the categories this request may
    show; 404 without ``required``. A clinician's view of each is logged as ``view:<category>``, in one commit
    (one consent query, the log's chain locked once)."""
    return _in_view(patient_id, {c: f"view:{c}" for c in categories}, purpose=purpose, required=required)


def _in_view(patient_id: int | None, views: dict[str, str], *, purpose: str, required: str) -> tuple[User, set[str]]:
    actor: User | None = g.get("user")
    if actor is None:
        abort(404)
    session = get_session()
    acting = g.get("acting")
    if acting is not None and actor.is_patient:  # a helper acting for a patient (#21): logged in acting_views
        shown = {category for category in views if acting.allows(category)}
        if patient_id not in (None, acting.patient.id) or required not in shown:
            abort(404)
        return acting.patient, shown
    if actor.is_patient:
        if patient_id not in (None, actor.id):
            abort(404)
        return actor, set(views)
    if patient_id is None:
        abort(404)
    access = consent.access_to_patient(session=session, clinician_id=actor.id, patient_id=patient_id)
    allowed = {category for category in views if category in access.categories}
    if required not in allowed:
        abort(404)
    patient = session.get(User, patient_id)
    if patient is None or not patient.is_patient:
        abort(404)
    audit.record_accesses(
        session=session,
        actor_id=actor.id,
        actor_role=actor.role,
        team_id=access.team_ids[0] if access.team_ids else None,
        patient_id=patient_id,
        whats=[what for category, what in views.items() if category in allowed],
        purpose=purpose,
    )
    session.commit()
    return patient, allowed


def patients_in_list(views: list[tuple[int, int | None]], *, what: str, purpose: str = "care") -> None:
    """A page that lists several patients' data (a clinician's lists): each patient shown, with the team through
    which the clinician sees them, is written to the access log as ``what``, with one lock of the log's head.
    The caller has chosen the patients by consent (``pgo.accounts.consent``); the caller commits."""
    actor: User | None = g.get("user")
    if actor is None:
        abort(404)
    audit.record_views_of_patients(
        session=get_session(), actor_id=actor.id, actor_role=actor.role, views=views, what=what, purpose=purpose
    )
