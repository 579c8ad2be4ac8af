"""The demonstration data: the two sign-ins, the practice with consent, and idempotent seeding."""

from sqlmodel import func, select

from pgo.accounts import consent
from pgo.accounts.models import AccessLogEntry, CareTeam, User
from pgo.accounts.service import authenticate
from pgo.demo import CLINICIAN_EMAIL, DEMO_PASSWORD, PATIENT_EMAIL, seed_demo


def test_demo_sign_ins_and_consent(session):
    people = seed_demo(session=session)
    session.commit()
    assert authenticate(session=session, email=PATIENT_EMAIL, password=DEMO_PASSWORD).user.role == "patient"
    assert authenticate(session=session, email=CLINICIAN_EMAIL, password=DEMO_PASSWORD).user.role == "clinician"
    for category in ("measurements", "decisions", "records"):
        assert consent.can_view(
            session=session, clinician_id=people.clinician.id, patient_id=people.patient.id, category=category
        )


def test_seeding_twice_adds_nothing(session):
    seed_demo(session=session)
    session.commit()
    counts = [session.exec(select(func.count()).select_from(t)).one() for t in (User, CareTeam, AccessLogEntry)]
    seed_demo(session=session)
    session.commit()
    assert [session.exec(select(func.count()).select_from(t)).one() for t in (User, CareTeam, AccessLogEntry)] == counts
