"""Demonstration people and their data, seeded idempotently by `pgo demo` and `pgo serve --demo`.

Each feature has a ``demo.py`` with a ``seed`` step (see ``steps``); a step receives the session and the two
demo people and must be safe to run again (it checks what is there before adding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from pgo.accounts import consent, teams
from pgo.accounts.models import CareTeam, Role, User
from pgo.accounts.service import create_user, find_user

PATIENT_EMAIL = "patient@demo.pgo"
CLINICIAN_EMAIL = "clinician@demo.pgo"
DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105  (public demo accounts, printed by `make run`)


TEAM_NAME = "De Linde"


@dataclass
class DemoPeople:
    patient: User
    clinician: User
    team: CareTeam
    notes: list[str] = field(default_factory=list)


Step = Callable[[Session, DemoPeople], None]


def steps() -> list[Step]:
    """Each feature's seeding step, in order (records first: later steps may use them)."""
    from pgo.accounts import demo as helpers
    from pgo.decisions import demo as decisions
    from pgo.measurements import demo as measurements
    from pgo.questionnaires import demo as questionnaires
    from pgo.records import demo as records

    return [records.seed, measurements.seed, decisions.seed, questionnaires.seed, helpers.seed]


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
