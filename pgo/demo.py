"""Demonstration people and their data, seeded idempotently by `pgo demo` and `pgo serve --demo`.

Each feature adds a step to ``STEPS``; a step receives the session and the two demo people and must be safe to
run again (it checks what is there before adding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from pgo.accounts.models import Role, User
from pgo.accounts.service import create_user, find_user

PATIENT_EMAIL = "patient@demo.pgo"
CLINICIAN_EMAIL = "clinician@demo.pgo"
DEMO_PASSWORD = "demo-wachtwoord"


@dataclass
class DemoPeople:
    patient: User
    clinician: User
    notes: list[str] = field(default_factory=list)


Step = Callable[[Session, DemoPeople], None]
STEPS: list[Step] = []


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
    for step in STEPS:
        step(session, people)
        session.flush()
    return people
