"""Demonstration people and their data, seeded idempotently by `pgo demo` and `pgo serve --demo`.

Each feature has a ``demo.py`` with a ``seed`` step (see ``steps``); a step receives the session and the two
demo people and must be safe to run again (it checks what is there before adding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from pgo.accounts.models import Role, User
from pgo.accounts.service import create_user, find_user

PATIENT_EMAIL = "patient@demo.pgo"
CLINICIAN_EMAIL = "clinician@demo.pgo"
DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105  (public demo accounts, printed by `make run`)


@dataclass
class DemoPeople:
    patient: User
    clinician: User
    notes: list[str] = field(default_factory=list)


Step = Callable[[Session, DemoPeople], None]


def steps() -> list[Step]:
    """Each feature's seeding step, in order (records first: later steps may use them)."""
    from pgo.clinic import demo as clinic
    from pgo.decisions import demo as decisions
    from pgo.measurements import demo as measurements
    from pgo.records import demo as records

    return [records.seed, measurements.seed, decisions.seed, clinic.seed]


def _person(session: Session, email: str, role: Role, name: str) -> User:
    user = find_user(session, email)
    if user is None:
        user = create_user(session=session, email=email, password=DEMO_PASSWORD, role=role, name=name)
    return user


def seed_demo(*, session: Session) -> DemoPeople:
    people = DemoPeople(
        patient=_person(session, PATIENT_EMAIL, Role.PATIENT, "Anna de Vries"),
        clinician=_person(session, CLINICIAN_EMAIL, Role.CLINICIAN, "Dr. Jansen"),
    )
    for step in steps():
        step(session, people)
        session.flush()
    return people
