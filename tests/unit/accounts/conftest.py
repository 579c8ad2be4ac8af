"""People and teams the account tests share."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

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
