"""Demonstration people and their data, seeded idempotently by `pgo demo` and `pgo serve --demo`.

Each feature has a ``demo.py`` with a ``seed`` step, named in the feature manifest (pgo.features); a step receives
the session and the two demo people and must be safe to run again (it checks what is there before adding).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from pgo import features
from pgo.accounts import consent, teams
from pgo.accounts.demo_people import CLINICIAN_EMAIL, DEMO_PASSWORD, PATIENT_EMAIL, TEAM_NAME, DemoPeople
from pgo.accounts.models import CareTeam, Role, User
from pgo.accounts.service import create_user, find_user

__all__ = ["CLINICIAN_EMAIL", "DEMO_PASSWORD", "PATIENT_EMAIL", "TEAM_NAME", "DemoPeople", "seed_demo", "steps"]

Step = Callable[[Session, DemoPeople], None]


def steps() -> list[Step]:
    """Each feature's seeding step, in the manifest's order (records first: later steps may use them)."""
    return features.demo_steps()


def _person(session: Session, email: str, role: Role, name: str) -> User:
    user = find_user(session, email)
    if user is None:
        user = create_user(session=session, email=email, password=DEMO_PASSWORD, role=role, name=name)
    return user


def _team(session: Session, clinician: User, patient: User) -> CareTeam:
    """The demo practice: the clinician is a member and the patient has given it access to everything."""
    team = session.exec(select(CareTeam).where(CareTeam.name == TEAM_NAME)).first()
    if team is None:
        team = teams.create_team(session=session, name=TEAM_NAME, kind="practice")
        teams.add_clinician(session=session, team_id=team.id, clinician_id=clinician.id)
        consent.grant(session=session, patient_id=patient.id, team_id=team.id, category="all", actor_id=patient.id)
    return team


def seed_demo(*, session: Session) -> DemoPeople:
    patient = _person(session, PATIENT_EMAIL, Role.PATIENT, "Anna de Vries")
    clinician = _person(session, CLINICIAN_EMAIL, Role.CLINICIAN, "Dr. Jansen")
    people = DemoPeople(patient=patient, clinician=clinician, team=_team(session, clinician, patient))
    for step in steps():
        step(session, people)
        session.flush()
    return people
