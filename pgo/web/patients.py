"""Whose data a page shows, and the access log entry when it is not the person's own.

Every view of patient data goes through ``patient_in_view``: a patient sees only themselves; a clinician sees a
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
    actor: User | None = g.get("user")
    if actor is None:
        abort(404)
    session = get_session()
    if actor.is_patient:
        if patient_id not in (None, actor.id):
            abort(404)
        return actor
    if patient_id is None or not consent.can_view(
        session=session, clinician_id=actor.id, patient_id=patient_id, category=category
    ):
        abort(404)
    patient = session.get(User, patient_id)
    if patient is None or not patient.is_patient:
        abort(404)
    teams = consent.teams_with_access(session=session, clinician_id=actor.id, patient_id=patient_id)
    audit.record_access(
        session=session,
        actor_id=actor.id,
        actor_role=actor.role,
        team_id=teams[0] if teams else None,
        patient_id=patient_id,
        what=what,
        purpose=purpose,
    )
    session.commit()
    return patient
