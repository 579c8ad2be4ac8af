"""The demo's helper (#21): Anna's son Piet may look at and enter her measurements, decision aids and
questionnaires (not her records). Signs in as helper@demo.pgo with the demo password."""

from __future__ import annotations

from sqlmodel import Session, select

from pgo.accounts import helpers
from pgo.accounts.models import HelperGrant, Role
from pgo.accounts.service import create_user, find_user

HELPER_EMAIL = "helper@demo.pgo"


def seed(session: Session, people) -> None:
    from pgo.accounts.demo_people import DEMO_PASSWORD

    helper = find_user(session, HELPER_EMAIL)
    if helper is None:
        helper = create_user(
            session=session, email=HELPER_EMAIL, password=DEMO_PASSWORD, role=Role.PATIENT, name="Piet de Vries"
        )
    exists = session.exec(
        select(HelperGrant).where(HelperGrant.patient_id == people.patient.id, HelperGrant.helper_id == helper.id)
    ).first()
    if exists is None:
        invitation = helpers.invite(
            session=session, patient=people.patient, email=HELPER_EMAIL, scope="act",
            categories=["measurements", "decisions", "questionnaires"],
        )  # fmt: skip
        helpers.accept(session=session, code=invitation.code, helper=helper)
    people.notes.append(f"helper:    {HELPER_EMAIL} (acts for the patient: measurements, decision aids, to-do)")
