"""Consent per category, revocation on the next check, team isolation, history and notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import delete, select

from pgo.accounts.consent import (
    DATA_CATEGORIES,
    ConsentError,
    access_to_patient,
    can_view,
    consent_history,
    current_grants,
    grant,
    revoke,
    visible_patients,
)
from pgo.accounts.models import ConsentGrant
from pgo.accounts.notes import NoteError, add_note, notes_for
from pgo.accounts.teams import TeamError, add_clinician, remove_clinician
from pgo.i18n import use_locale


def _grant(session, p, category, team=None, patient=None, **kw):
    team, patient = team or p.linde, patient or p.anna
    return grant(session=session, patient_id=patient.id, team_id=team.id, category=category, actor_id=patient.id, **kw)


def _revoke(session, p, category, team=None, patient=None, **kw):
    team, patient = team or p.linde, patient or p.anna
    return revoke(session=session, patient_id=patient.id, team_id=team.id, category=category, actor_id=patient.id, **kw)


def _sees(session, clinician, patient):
    return {
        c
        for c in DATA_CATEGORIES
        if can_view(session=session, clinician_id=clinician.id, patient_id=patient.id, category=c)
    }


def test_nothing_visible_without_consent(session, people):
    assert _sees(session, people.jansen, people.anna) == set()
    assert visible_patients(session=session, clinician_id=people.jansen.id) == []


@pytest.mark.parametrize("category", DATA_CATEGORIES)
def test_grant_per_category(session, people, category):
    _grant(session, people, category)
    assert _sees(session, people.jansen, people.anna) == {category}
    assert _sees(session, people.bakker, people.anna) == {category}  # same team
    assert _sees(session, people.devries, people.anna) == set()  # another team
    assert _sees(session, people.jansen, people.bram) == set()  # another patient


def test_all_covers_every_category(session, people):
    _grant(session, people, "all")
    assert _sees(session, people.jansen, people.anna) == set(DATA_CATEGORIES)
    assert can_view(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id, category="all")
    assert not can_view(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id, category="x")


def test_access_to_patient_lists_categories_and_teams_in_one_answer(session, people):
    _grant(session, people, "records")
    _grant(session, people, "all", team=people.cardio)
    bakker = access_to_patient(session=session, clinician_id=people.bakker.id, patient_id=people.anna.id)
    assert bakker.categories == {*DATA_CATEGORIES, "all"}
    assert bakker.team_ids == tuple(sorted((people.linde.id, people.cardio.id)))
    jansen = access_to_patient(session=session, clinician_id=people.jansen.id, patient_id=people.anna.id)
    assert (jansen.categories, jansen.team_ids) == ({"records"}, (people.linde.id,))
    nobody = access_to_patient(session=session, clinician_id=people.anna.id, patient_id=people.anna.id)
    assert (nobody.categories, nobody.team_ids) == (set(), ())  # a patient is no clinician


def test_revoke_takes_effect_on_the_next_check(engine, people):
    from sqlmodel import Session

    with Session(engine) as patient_side:
        _grant(patient_side, people, "measurements")
        patient_side.commit()
    with Session(engine) as clinician_side:
        assert _sees(clinician_side, people.jansen, people.anna) == {"measurements"}
        with Session(engine) as patient_side:
            _revoke(patient_side, people, "measurements")
            patient_side.commit()
        clinician_side.commit()  # the next request
        assert _sees(clinician_side, people.jansen, people.anna) == set()


def test_revoking_one_category_of_all_keeps_the_others(session, people):
    _grant(session, people, "all")
    assert _revoke(session, people, "decisions")
    assert _sees(session, people.jansen, people.anna) == {"measurements", "records"}
    assert not _revoke(session, people, "decisions")  # nothing left to revoke
    assert _revoke(session, people, "all")
    assert _sees(session, people.jansen, people.anna) == set()


def test_grant_twice_changes_nothing(session, people):
    first = _grant(session, people, "records")
    assert _grant(session, people, "records").id == first.id
    assert len(consent_history(session=session, patient_id=people.anna.id)) == 1


def test_clinician_leaving_the_team_sees_nothing(session, people):
    _grant(session, people, "all")
    assert remove_clinician(session=session, team_id=people.linde.id, clinician_id=people.jansen.id)
    assert _sees(session, people.jansen, people.anna) == set()
    assert _sees(session, people.bakker, people.anna) == set(DATA_CATEGORIES)


def test_invalid_requests_refused(session, people):
    with pytest.raises(ConsentError, match="Kies wat het team mag zien"):
        _grant(session, people, "everything")
    with pytest.raises(
        ConsentError, match="Alleen patiënten kunnen toegang geven"
    ):  # a clinician is not a patient who can grant
        grant(
            session=session,
            patient_id=people.jansen.id,
            team_id=people.linde.id,
            category="all",
            actor_id=people.jansen.id,
        )
    with pytest.raises(TeamError, match="Alleen zorgverleners kunnen lid worden"):
        add_clinician(session=session, team_id=people.linde.id, clinician_id=people.anna.id)
    assert not can_view(session=session, clinician_id=people.anna.id, patient_id=people.anna.id, category="all")


def test_visible_patients_lists_categories_through_all_teams(session, people):
    _grant(session, people, "measurements", team=people.linde)
    _grant(session, people, "records", team=people.cardio)
    _grant(session, people, "decisions", team=people.cardio, patient=people.bram)
    bakker = visible_patients(session=session, clinician_id=people.bakker.id)
    assert [(v.name, v.categories, v.team_ids) for v in bakker] == [
        ("Anna de Boer", ("measurements", "records"), tuple(sorted((people.linde.id, people.cardio.id)))),
        ("Bram Smit", ("decisions",), (people.cardio.id,)),
    ]
    jansen = visible_patients(session=session, clinician_id=people.jansen.id)
    assert [(v.patient_id, v.categories) for v in jansen] == [(people.anna.id, ("measurements",))]
    _revoke(session, people, "measurements", team=people.linde)
    assert visible_patients(session=session, clinician_id=people.jansen.id) == []


def test_current_grants_per_team(session, people):
    _grant(session, people, "all", team=people.cardio)
    _grant(session, people, "decisions", team=people.linde)
    with use_locale("nl"):
        grants = current_grants(session=session, patient_id=people.anna.id)
    assert [(g.team_label, g.categories, g.everything) for g in grants] == [
        ("Afdeling Cardiologie", DATA_CATEGORIES, True),
        ("Praktijk De Linde", ("decisions",), False),
    ]


def test_history_records_who_what_and_when(session, people):
    t1 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    t2 = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    _grant(session, people, "measurements", now=t1)
    revoke(
        session=session,
        patient_id=people.anna.id,
        team_id=people.linde.id,
        category="measurements",
        actor_id=people.jansen.id,  # e.g. on the patient's request at the desk
        now=t2,
    )
    history = consent_history(session=session, patient_id=people.anna.id)
    assert [(h.action, h.category, h.actor_id, h.at) for h in history] == [
        ("grant", "measurements", people.anna.id, t1),
        ("revoke", "measurements", people.jansen.id, t2),
    ]
    record = session.exec(select(ConsentGrant)).one()
    assert (record.granted_by, record.revoked_by, record.revoked_at) == (people.anna.id, people.jansen.id, t2)
    with use_locale("nl"):
        assert history[0].sentence == "U gaf Praktijk De Linde toegang tot uw metingen op 3 maart 2026."
        assert history[1].sentence.startswith("Dr. Jansen trok de toegang van Praktijk De Linde")
    with use_locale("en"):
        assert history[0].sentence == "You gave De Linde practice access to your measurements on 3 March 2026."


def test_team_notes_stay_within_the_team(session, people):
    _grant(session, people, "all", team=people.linde)
    _grant(session, people, "all", team=people.cardio)
    add_note(
        session=session,
        team_id=people.linde.id,
        patient_id=people.anna.id,
        author_id=people.jansen.id,
        text="Linde",
    )
    add_note(
        session=session,
        team_id=people.cardio.id,
        patient_id=people.anna.id,
        author_id=people.devries.id,
        text="Cardio",
    )

    def texts(clinician):
        return sorted(n.text for n in notes_for(session=session, clinician_id=clinician.id, patient_id=people.anna.id))

    assert texts(people.jansen) == ["Linde"]
    assert texts(people.devries) == ["Cardio"]
    assert texts(people.bakker) == ["Cardio", "Linde"]  # member of both
    with pytest.raises(
        NoteError, match="alleen notities schrijven voor uw eigen zorgteam"
    ):  # De Vries is not in De Linde
        add_note(
            session=session,
            team_id=people.linde.id,
            patient_id=people.anna.id,
            author_id=people.devries.id,
            text="x",
        )
    _revoke(session, people, "all", team=people.linde)
    assert texts(people.jansen) == []
    assert texts(people.bakker) == ["Cardio"]
    with pytest.raises(NoteError, match="geen toegang gegeven"):
        add_note(
            session=session,
            team_id=people.linde.id,
            patient_id=people.anna.id,
            author_id=people.jansen.id,
            text="y",
        )


actions = st.lists(
    st.tuples(st.sampled_from(["grant", "revoke"]), st.sampled_from([*DATA_CATEGORIES, "all"])), max_size=12
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_can_view_follows_the_last_word_per_category(session, people, steps):
    session.rollback()
    session.exec(delete(ConsentGrant))
    expected = dict.fromkeys(DATA_CATEGORIES, False)
    for action, category in steps:
        (_grant if action == "grant" else _revoke)(session, people, category)
        for c in DATA_CATEGORIES if category == "all" else [category]:
            expected[c] = action == "grant"
    assert {c: c in _sees(session, people.jansen, people.anna) for c in DATA_CATEGORIES} == expected
    assert _sees(session, people.devries, people.anna) == set()
    session.rollback()


def test_parallel_grants_leave_one_current_grant(session, people, monkeypatch):
    """#17: two requests that both checked before either wrote created two current grants (check-then-insert)."""
    from pgo.accounts import consent

    real, calls = consent._current, []

    def raced(*args, **kwargs):  # the first two checks both see nothing: two requests in parallel
        calls.append(1)
        return [] if len(calls) <= 2 else real(*args, **kwargs)

    monkeypatch.setattr(consent, "_current", raced)
    first = _grant(session, people, "measurements")
    second = _grant(session, people, "measurements")
    session.commit()
    rows = session.exec(
        select(ConsentGrant).where(ConsentGrant.user_id == people.anna.id, ConsentGrant.revoked_at.is_(None))
    ).all()
    assert len(rows) == 1 and first.id == second.id == rows[0].id
    assert _sees(session, people.jansen, people.anna) == {"measurements"}
