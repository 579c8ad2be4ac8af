"""Consent: the cases the mutation run (#23, 2026-12-03) showed unguarded.

Who granted what and when stays on the record, a revoked blanket grant hands back exactly the other categories,
a member whose role changed sees no one, and the clinician's patient list counts, filters, pages and names each
patient once.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import select

from pgo.accounts.consent import (
    DATA_CATEGORIES,
    ConsentError,
    access_to_patient,
    can_view,
    consent_history,
    count_consenting_patients,
    current_grants,
    grant,
    revoke,
    teams_with_access,
    visible_patients,
)
from pgo.accounts.models import ConsentGrant, Role, User
from pgo.accounts.teams import add_clinician, create_team
from pgo.i18n import use_locale

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def make_user(session, email, role, name):
    user = User(email=email, role=str(role), name=name)
    session.add(user)
    session.flush()
    return user


def _grant(session, patient, team, category, actor=None, now=None):
    actor = actor or patient
    return grant(session=session, patient_id=patient.id, team_id=team.id, category=category, actor_id=actor.id, now=now)


def _revoke(session, patient, team, category, actor=None, now=None):
    actor = actor or patient
    return revoke(
        session=session, patient_id=patient.id, team_id=team.id, category=category, actor_id=actor.id, now=now
    )


def _current(session, patient):
    rows = session.exec(
        select(ConsentGrant).where(ConsentGrant.user_id == patient.id, ConsentGrant.revoked_at.is_(None))
    ).all()
    return sorted((r.team_id, r.category, r.granted_by) for r in rows)


def _as_utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_a_grant_without_a_time_takes_the_clock(session, people):
    with time_machine.travel(TUESDAY, tick=False):
        record = _grant(session, people.anna, people.linde, "records")
        with use_locale("nl"):
            assert _revoke(session, people.anna, people.linde, "records")
    assert _as_utc(record.granted_at) == TUESDAY
    assert _as_utc(record.revoked_at) == TUESDAY
    assert [_as_utc(h.at) for h in consent_history(session=session, patient_id=people.anna.id)] == [TUESDAY, TUESDAY]


def test_every_refusal_names_its_reason(session, people):
    def attempt(patient_id, team_id, actor_id, category="records"):
        grant(session=session, patient_id=patient_id, team_id=team_id, category=category, actor_id=actor_id)

    with use_locale("nl"):
        with pytest.raises(ConsentError, match="Alleen patiënten kunnen toegang geven"):
            attempt(99999, people.linde.id, people.anna.id)  # nobody with that number
        with pytest.raises(ConsentError, match="Dit zorgteam bestaat niet"):
            attempt(people.anna.id, 99999, people.anna.id)
        with pytest.raises(ConsentError, match="Onbekend account"):
            attempt(people.anna.id, people.linde.id, 99999)
        with pytest.raises(ConsentError, match="Kies wat het team mag zien"):
            revoke(session=session, patient_id=people.anna.id, team_id=people.linde.id, category="diary", actor_id=1)
    assert _current(session, people.anna) == []


def test_revoking_a_category_ends_only_that_patient_team_and_category(session, people):
    _grant(session, people.anna, people.linde, "records", now=MONDAY)
    _grant(session, people.anna, people.linde, "decisions", now=MONDAY)
    _grant(session, people.anna, people.cardio, "records", now=MONDAY)
    _grant(session, people.bram, people.linde, "records", now=MONDAY)
    assert not _revoke(session, people.anna, people.linde, "measurements")  # never granted: nothing to end
    assert _revoke(session, people.anna, people.linde, "records", actor=people.jansen, now=WEDNESDAY)
    assert _current(session, people.anna) == sorted(
        [(people.linde.id, "decisions", people.anna.id), (people.cardio.id, "records", people.anna.id)]
    )
    assert _current(session, people.bram) == [(people.linde.id, "records", people.bram.id)]
    ended = session.exec(select(ConsentGrant).where(ConsentGrant.revoked_at.is_not(None))).one()
    assert (ended.user_id, ended.team_id, ended.category) == (people.anna.id, people.linde.id, "records")
    assert (_as_utc(ended.revoked_at), ended.revoked_by) == (WEDNESDAY, people.jansen.id)
    history = consent_history(session=session, patient_id=people.anna.id)
    assert [(h.action, h.category, h.team_id, h.actor_id) for h in history][-1] == (
        "revoke",
        "records",
        people.linde.id,
        people.jansen.id,
    )


def test_revoking_all_ends_every_category_of_that_team_only(session, people):
    _grant(session, people.anna, people.linde, "records")
    _grant(session, people.anna, people.linde, "measurements")
    _grant(session, people.anna, people.cardio, "all")
    assert _revoke(session, people.anna, people.linde, "all")
    assert _current(session, people.anna) == [(people.cardio.id, "all", people.anna.id)]
    assert not _revoke(session, people.anna, people.linde, "all")


def test_a_revoked_blanket_grant_hands_back_the_other_categories_from_its_granter(session, people):
    # Jansen recorded the blanket grant at the desk; a separate 'records' grant existed already.
    _grant(session, people.anna, people.linde, "records", now=MONDAY)
    _grant(session, people.anna, people.linde, "all", actor=people.jansen, now=MONDAY)
    assert _revoke(session, people.anna, people.linde, "decisions", now=TUESDAY)
    assert _current(session, people.anna) == sorted(
        [
            (people.linde.id, "measurements", people.jansen.id),  # handed back, still Jansen's grant
            (people.linde.id, "records", people.anna.id),  # kept as it was, not doubled
        ]
    )
    handed_back = session.exec(select(ConsentGrant).where(ConsentGrant.category == "measurements")).one()
    assert _as_utc(handed_back.granted_at) == TUESDAY
    assert can_view(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id, category="records")
    assert not can_view(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id, category="decisions")
    assert not can_view(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id, category="all")


def test_current_grants_show_the_earliest_grant_per_team(session, people):
    twin = create_team(session=session, name="Cardiologie", kind="practice")  # same name: the older team first
    _grant(session, people.anna, twin, "all", now=TUESDAY)
    _grant(session, people.anna, people.linde, "records", now=TUESDAY)
    _grant(session, people.anna, people.linde, "measurements", now=MONDAY)
    _grant(session, people.anna, people.cardio, "decisions", now=WEDNESDAY)
    _grant(session, people.bram, people.linde, "all", now=MONDAY)
    _grant(session, people.anna, people.cardio, "records", now=MONDAY)
    _revoke(session, people.anna, people.cardio, "records", now=TUESDAY)  # a revoked grant no longer counts
    grants = current_grants(session=session, patient_id=people.anna.id)
    assert [(g.team_id, g.team_name, g.team_kind, g.categories, g.everything, _as_utc(g.since)) for g in grants] == [
        (people.cardio.id, "Cardiologie", "department", ("decisions",), False, WEDNESDAY),
        (twin.id, "Cardiologie", "practice", DATA_CATEGORIES, True, TUESDAY),
        (people.linde.id, "De Linde", "practice", ("measurements", "records"), False, MONDAY),
    ]


def test_a_member_whose_role_changed_sees_no_one(session, people):
    _grant(session, people.anna, people.linde, "all")
    people.jansen.role = str(Role.PATIENT)  # e.g. the account now only holds their own record
    session.add(people.jansen)
    session.flush()
    assert access_to_patient(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id).categories == (
        frozenset()
    )
    assert teams_with_access(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id) == []
    assert count_consenting_patients(session=session, clinician_id=people.jansen.id) == 0
    assert visible_patients(session=session, clinician_id=people.jansen.id) == []
    assert count_consenting_patients(session=session, clinician_id=people.bakker.id) == 1  # still a clinician
    assert not can_view(session=session, clinician_id=99999, patient_id=people.anna.id, category="all")


def test_teams_with_access_lists_only_teams_with_a_current_grant(session, people):
    _grant(session, people.anna, people.cardio, "records")
    _grant(session, people.anna, people.linde, "decisions")
    both = teams_with_access(session=session, clinician_id=people.bakker.id, patient_id=people.anna.id)
    assert both == sorted([people.linde.id, people.cardio.id])
    _revoke(session, people.anna, people.linde, "decisions")
    assert teams_with_access(session=session, clinician_id=people.bakker.id, patient_id=people.anna.id) == [
        people.cardio.id
    ]
    assert teams_with_access(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id) == []
    assert teams_with_access(session=session, clinician_id=people.bakker.id, patient_id=people.bram.id) == []


def test_count_consenting_patients_counts_each_patient_once(session, people):
    _grant(session, people.anna, people.linde, "records")
    _grant(session, people.anna, people.cardio, "all")  # Anna reaches Bakker through two teams
    _grant(session, people.bram, people.cardio, "decisions")
    assert count_consenting_patients(session=session, clinician_id=people.bakker.id) == 2
    assert count_consenting_patients(session=session, clinician_id=people.bakker.id, category="decisions") == 2
    assert count_consenting_patients(session=session, clinician_id=people.bakker.id, category="measurements") == 1
    assert count_consenting_patients(session=session, clinician_id=people.jansen.id) == 1
    assert count_consenting_patients(session=session, clinician_id=people.jansen.id, category="decisions") == 0
    _revoke(session, people.anna, people.cardio, "all")
    assert count_consenting_patients(session=session, clinician_id=people.bakker.id, category="measurements") == 0


@pytest.fixture
def clinic(session, people):
    """Four patients sharing with De Linde: sorted by name without regard to capitals, one without a name."""
    eva = make_user(session, "eva@example.nl", Role.PATIENT, "eva Jansen")  # lower case: still between A and J
    nameless = make_user(session, "nn@example.nl", Role.PATIENT, "")
    _grant(session, people.anna, people.linde, "measurements")
    _grant(session, people.anna, people.cardio, "records")
    _grant(session, people.bram, people.linde, "all")
    _grant(session, eva, people.linde, "decisions")
    _grant(session, nameless, people.linde, "records")
    return {"anna": people.anna.id, "bram": people.bram.id, "eva": eva.id, "nameless": nameless.id}


def test_visible_patients_sorted_paged_and_filtered(session, people, clinic):
    def listing(**kw):
        return [(v.name, v.categories) for v in visible_patients(session=session, clinician_id=people.jansen.id, **kw)]

    everyone = [
        ("", ("records",)),
        ("Anna de Boer", ("measurements",)),  # Cardiologie's records grant is not Jansen's
        ("Bram Smit", DATA_CATEGORIES),
        ("eva Jansen", ("decisions",)),
    ]
    assert listing() == everyone
    assert listing(offset=1, limit=2) == everyone[1:3]
    assert listing(offset=3) == everyone[3:]
    assert listing(limit=1) == everyone[:1]
    assert listing(category="decisions") == [everyone[2], everyone[3]]
    assert listing(among=[clinic["eva"], clinic["anna"], clinic["eva"]]) == [everyone[1], everyone[3]]
    assert listing(among=[]) == []
    assert listing(among=[clinic["anna"]], category="records") == []
    bakker = visible_patients(session=session, clinician_id=people.bakker.id, among=[clinic["anna"]])
    assert [(v.patient_id, v.categories, v.team_ids) for v in bakker] == [
        (clinic["anna"], ("measurements", "records"), tuple(sorted((people.linde.id, people.cardio.id))))
    ]
    _revoke(session, people.anna, people.cardio, "records")  # what Cardiologie saw is gone, De Linde's stays
    bakker = visible_patients(session=session, clinician_id=people.bakker.id, among=[clinic["anna"]])
    assert [(v.patient_id, v.categories, v.team_ids) for v in bakker] == [
        (clinic["anna"], ("measurements",), (people.linde.id,))
    ]


def test_history_sentences_for_each_kind_of_change(session, people):
    nameless = make_user(session, "balie@linde.nl", Role.CLINICIAN, "")
    add_clinician(session=session, team_id=people.linde.id, clinician_id=nameless.id)
    _grant(session, people.anna, people.linde, "records", actor=people.jansen, now=MONDAY)
    _revoke(session, people.anna, people.linde, "records", now=TUESDAY)
    _grant(session, people.anna, people.cardio, "all", now=WEDNESDAY)
    _revoke(session, people.anna, people.cardio, "all", actor=nameless, now=WEDNESDAY)
    _grant(session, people.bram, people.linde, "records", now=MONDAY)  # another patient's history
    # a paper consent of the Sunday before, entered afterwards: the history is in the order things happened
    _grant(session, people.anna, people.linde, "decisions", actor=people.jansen, now=datetime(2026, 3, 1, tzinfo=UTC))
    history = consent_history(session=session, patient_id=people.anna.id)
    assert [(h.action, h.category) for h in history][0] == ("grant", "decisions")
    history = history[1:]
    assert [(h.action, h.actor_name, h.by_patient, h.team_name, h.team_kind) for h in history] == [
        ("grant", "Dr. Jansen", False, "De Linde", "practice"),
        ("revoke", "Anna de Boer", True, "De Linde", "practice"),
        ("grant", "Anna de Boer", True, "Cardiologie", "department"),
        ("revoke", "balie@linde.nl", False, "Cardiologie", "department"),
    ]
    with use_locale("en"):
        assert [h.sentence for h in history] == [
            "Dr. Jansen gave De Linde practice access to your imported records on 2 March 2026.",
            "You withdrew the access of De Linde practice to your imported records on 3 March 2026.",
            "You gave Cardiologie department access to all your data on 4 March 2026.",
            "balie@linde.nl withdrew the access of Cardiologie department to all your data on 4 March 2026.",
        ]
