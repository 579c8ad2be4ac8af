"""People and teams the account tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from pgo.accounts.audit import record_access
from pgo.accounts.models import Role, User
from pgo.accounts.teams import add_clinician, create_team


def make_user(session, email: str, role: Role, name: str = "") -> User:
    user = User(email=email, role=str(role), name=name)
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def people(session):
    """Two teams: De Linde (Jansen, and Bakker who is also in cardiology) and cardiology (De Vries)."""
    linde = create_team(session=session, name="De Linde", kind="practice")
    cardio = create_team(session=session, name="Cardiologie", kind="department")
    jansen = make_user(session, "jansen@linde.nl", Role.CLINICIAN, "Dr. Jansen")
    bakker = make_user(session, "bakker@linde.nl", Role.CLINICIAN, "Dr. Bakker")
    devries = make_user(session, "devries@zkh.nl", Role.CLINICIAN, "Dr. de Vries")
    anna = make_user(session, "anna@example.nl", Role.PATIENT, "Anna de Boer")
    bram = make_user(session, "bram@example.nl", Role.PATIENT, "Bram Smit")
    add_clinician(session=session, team_id=linde.id, clinician_id=jansen.id)
    add_clinician(session=session, team_id=linde.id, clinician_id=bakker.id)
    add_clinician(session=session, team_id=cardio.id, clinician_id=bakker.id)
    add_clinician(session=session, team_id=cardio.id, clinician_id=devries.id)
    session.commit()

    return SimpleNamespace(
        linde=linde, cardio=cardio, jansen=jansen, bakker=bakker, devries=devries, anna=anna, bram=bram
    )


MARCH_3 = datetime(2026, 3, 3, 10, 15, tzinfo=UTC)


@pytest.fixture
def logged(session, people):
    """Five committed views of Anna's blood pressure by Dr. Jansen, a minute apart."""
    for i in range(5):
        record_access(
            session=session,
            actor_id=people.jansen.id,
            actor_role="clinician",
            team_id=people.linde.id,
            patient_id=people.anna.id,
            what="view:blood_pressure",
            purpose="care",
            now=MARCH_3 + timedelta(minutes=i),
        )
    session.commit()
    return people
