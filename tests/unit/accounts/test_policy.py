"""The access policy over a table of cases."""

from __future__ import annotations

import pytest

from pgo.accounts.consent import grant
from pgo.accounts.models import Role, User
from pgo.accounts.policy import RULES, Action, may

# (actor, action, patient, category, expected); Anna gave De Linde 'measurements', Bram nothing.
CASES = [
    (None, "public", None, None, True),
    (None, "account.own", None, None, False),
    (None, "data.view", "anna", "measurements", False),
    (None, "consent.change", "anna", None, False),
    ("anna", "public", None, None, True),
    ("anna", "account.own", None, None, True),
    ("anna", "data.view", "anna", "records", True),
    ("anna", "data.export", "anna", "all", True),
    ("anna", "data.view", "bram", "records", False),
    ("anna", "data.view", "anna", "diary", False),
    ("anna", "consent.view", "anna", None, True),
    ("anna", "consent.change", "anna", None, True),
    ("anna", "consent.change", "bram", None, False),
    ("anna", "access_log.view", "anna", None, True),
    ("anna", "access_log.view", "bram", None, False),
    ("anna", "notes.view", "anna", None, False),
    ("anna", "clinic.patients", None, None, False),
    ("jansen", "data.view", "anna", "measurements", True),
    ("jansen", "data.export", "anna", "measurements", True),
    ("jansen", "data.view", "anna", "records", False),
    ("jansen", "data.view", "anna", "all", False),
    ("jansen", "data.view", "anna", None, False),
    ("jansen", "data.view", "bram", "measurements", False),
    ("jansen", "notes.view", "anna", None, True),
    ("jansen", "notes.write", "anna", None, True),
    ("jansen", "notes.view", "bram", None, False),
    ("jansen", "consent.change", "anna", None, False),
    ("jansen", "access_log.view", "anna", None, False),
    ("jansen", "clinic.patients", None, None, True),
    ("jansen", "audit.verify", None, None, False),
    ("jansen", "no.such.action", "anna", "measurements", False),
    ("devries", "data.view", "anna", "measurements", False),
    ("devries", "notes.view", "anna", None, False),
    ("devries", "clinic.patients", None, None, True),
]


@pytest.mark.parametrize(("actor", "action", "patient", "category", "expected"), CASES)
def test_may(session, people, actor, action, patient, category, expected):
    grant(
        session=session,
        patient_id=people.anna.id,
        team_id=people.linde.id,
        category="measurements",
        actor_id=people.anna.id,
    )
    who = getattr(people, actor) if actor else None
    patient_id = getattr(people, patient).id if patient else None
    assert may(who, action, patient_id, category, session=session) is expected


def test_every_action_has_a_rule_and_a_case():
    assert {a for a in Action if a != Action.PUBLIC} == set(RULES)
    assert {a.value for a in Action} <= {case[1] for case in CASES}


def test_only_the_patient_themselves_counts_as_self(session, people):
    """#23 (2026-12-03): a clinician asking about their own account number is not 'the patient themselves', and
    an account that is not saved yet (no id) may do nothing, not even on its own account."""
    jansen = people.jansen
    for action in ("consent.view", "consent.change", "access_log.view"):
        assert may(jansen, action, jansen.id, None, session=session) is False
    assert may(jansen, "data.view", jansen.id, "records", session=session) is False
    assert may(jansen, "data.export", jansen.id, "all", session=session) is False
    assert may(people.anna, "data.view", None, "records", session=session) is False
    assert may(people.anna, "consent.view", None, None, session=session) is False
    assert may(people.anna, "account.own", session=session) is True
    unsaved = User(email="nieuw@example.nl", role=str(Role.PATIENT))
    assert may(unsaved, "account.own", session=session) is False
    assert may(unsaved, "consent.view", None, None, session=session) is False
    assert may(unsaved, "public", session=session) is True


def test_a_team_member_who_is_no_clinician_any_more_is_refused(session, people):
    """#23 (2026-12-03): Jansen stays in De Linde's member list but the account is now a patient account."""
    grant(session=session, patient_id=people.anna.id, team_id=people.linde.id, category="all", actor_id=people.anna.id)
    assert may(people.jansen, "notes.view", people.anna.id, None, session=session) is True
    people.jansen.role = str(Role.PATIENT)
    session.add(people.jansen)
    session.flush()
    for action, category in (("notes.view", None), ("notes.write", None), ("data.view", "records")):
        assert may(people.jansen, action, people.anna.id, category, session=session) is False
    assert may(people.jansen, "clinic.patients", session=session) is False
