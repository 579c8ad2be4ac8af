"""Helpers (#21) without Flask: invitations, acceptance, revoke, end dates and the rules for children (WGBO)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pgo.accounts import helpers
from pgo.accounts.models import HelperGrant
from pgo.i18n import use_locale

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)


def _helping(session, people, **fields):
    invitation = helpers.invite(
        session=session,
        patient=people.anna,
        email=fields.pop("email", people.bram.email),
        scope=fields.pop("scope", "read"),
        categories=fields.pop("categories", ["measurements"]),
        now=NOW,
        **fields,
    )
    helpers.accept(session=session, code=invitation.code, helper=people.bram, now=NOW)
    return invitation.grant


def _current(session, grant, helper, now=NOW):
    return helpers.current_grant(session=session, grant_id=grant.id, helper_id=helper.id, now=now)


def test_only_the_hash_of_the_invitation_code_is_kept(session, people):
    invitation = helpers.invite(session=session, patient=people.anna, email="Bram@Example.nl ", scope="read",
                                categories=["records"], now=NOW)  # fmt: skip
    stored = session.get(HelperGrant, invitation.grant.id)
    assert invitation.code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.invited_email == "bram@example.nl"
    assert helpers.invitation_for(session=session, code=invitation.code, now=NOW).id == stored.id
    assert helpers.invitation_for(session=session, code=invitation.code + "x", now=NOW) is None


def test_an_invitation_expires_after_fourteen_days_and_works_once(session, people):
    invitation = helpers.invite(session=session, patient=people.anna, email=people.bram.email, scope="read",
                                categories=["records"], now=NOW)  # fmt: skip
    late = NOW + timedelta(days=helpers.INVITATION_DAYS, minutes=1)
    with use_locale("en"), pytest.raises(helpers.HelperError, match="no longer valid"):
        helpers.accept(session=session, code=invitation.code, helper=people.bram, now=late)
    helpers.accept(session=session, code=invitation.code, helper=people.bram, now=NOW)
    with use_locale("en"), pytest.raises(helpers.HelperError, match="no longer valid"):
        helpers.accept(session=session, code=invitation.code, helper=people.bram, now=NOW)


def test_only_the_invited_address_and_a_patient_account_accept(session, people):
    invitation = helpers.invite(session=session, patient=people.anna, email=people.jansen.email, scope="read",
                                categories=["records"], now=NOW)  # fmt: skip
    with use_locale("en"), pytest.raises(helpers.HelperError, match="another email address"):
        helpers.accept(session=session, code=invitation.code, helper=people.bram, now=NOW)
    with use_locale("en"), pytest.raises(helpers.HelperError, match="cannot accept"):
        helpers.accept(session=session, code=invitation.code, helper=people.jansen, now=NOW)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "anna@example.nl"}, "your own helper"),
        ({"email": "geen-adres"}, "like name@example.nl"),
        ({"scope": "admin"}, "may do"),
        ({"categories": []}, "at least one part"),
        ({"categories": ["measurements", "notes"]}, "at least one part"),
        ({"ends_on": TODAY - timedelta(days=1)}, "today or later"),
        ({"relation": "parent"}, "date of birth first"),
    ],
)
def test_bad_invitations_are_refused_with_a_reason(session, people, fields, message):
    data = {"email": people.bram.email, "scope": "read", "categories": ["measurements"]} | fields
    with use_locale("en"), pytest.raises(helpers.HelperError, match=message):
        helpers.invite(session=session, patient=people.anna, now=NOW, **data)


def test_scope_read_allows_looking_only_in_the_chosen_categories(session, people):
    grant = _helping(session, people, categories=["measurements", "records"])
    acting = _current(session, grant, people.bram)
    assert acting.patient.id == people.anna.id
    assert acting.allows("measurements") and acting.allows("records")
    assert not acting.allows("decisions") and not acting.allows("questionnaires")
    assert not acting.allows("measurements", write=True)


def test_scope_act_allows_entering(session, people):
    acting = _current(session, _helping(session, people, scope="act"), people.bram)
    assert acting.allows("measurements", write=True)
    assert not acting.allows("records", write=True)


def test_revoke_and_end_date_end_the_grant_at_once(session, people):
    grant = _helping(session, people, ends_on=TODAY + timedelta(days=1))
    assert _current(session, grant, people.bram) is not None
    assert _current(session, grant, people.bram, now=NOW + timedelta(days=2)) is None  # past the end date
    assert _current(session, grant, people.jansen) is None  # someone else cannot use it
    assert helpers.revoke(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
    assert _current(session, grant, people.bram) is None
    assert not helpers.revoke(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
    with use_locale("en"), pytest.raises(helpers.HelperError, match="does not exist"):
        helpers.revoke(session=session, patient=people.bram, grant_id=grant.id, now=NOW)


@pytest.mark.parametrize(
    ("age", "agreed", "holds"),
    [(8, False, True), (12, False, False), (12, True, True), (15, True, True), (16, True, False)],
)
def test_a_parent_helps_a_child_by_the_wgbo_ages(session, people, age, agreed, holds):
    helpers.set_birth_date(session=session, user=people.anna, birth_date=date(2026 - age, 6, 1), now=NOW)
    if age >= 16:
        with use_locale("en"), pytest.raises(helpers.HelperError, match="From 16 you decide alone"):
            _helping(session, people, relation="parent")
        # a grant made before the 16th birthday ends on it
        helpers.set_birth_date(session=session, user=people.anna, birth_date=date(2026 - 15, 6, 1), now=NOW)
        grant = _helping(session, people, relation="parent")
        helpers.child_agrees(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
        helpers.set_birth_date(session=session, user=people.anna, birth_date=date(2026 - age, 6, 1), now=NOW)
    else:
        grant = _helping(session, people, relation="parent")
        if agreed:
            helpers.child_agrees(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
    assert (_current(session, grant, people.bram) is not None) is holds


def test_the_16th_birthday_is_the_day_a_parent_loses_access(session, people):
    helpers.set_birth_date(session=session, user=people.anna, birth_date=date(2010, 12, 4), now=NOW)
    grant = _helping(session, people, relation="parent")
    helpers.child_agrees(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
    assert _current(session, grant, people.bram) is not None  # 15 until tomorrow
    tomorrow = NOW + timedelta(days=1)
    assert _current(session, grant, people.bram, now=tomorrow) is None


def test_a_birth_date_in_the_future_is_refused(session, people):
    with use_locale("en"), pytest.raises(helpers.HelperError, match="date of birth"):
        helpers.set_birth_date(session=session, user=people.anna, birth_date=TODAY + timedelta(days=1), now=NOW)
    assert helpers.birth_date_of(session=session, user_id=people.anna.id) is None


def test_the_patient_sees_helpers_and_the_helper_sees_whom_they_help(session, people):
    grant = _helping(session, people)
    pending = helpers.invite(session=session, patient=people.anna, email="later@example.nl", scope="read",
                             categories=["records"], now=NOW)  # fmt: skip
    lines = helpers.helpers_of(session=session, patient=people.anna, now=NOW)
    assert [(line.name, line.state) for line in lines] == [("later@example.nl", "pending"), ("Bram Smit", "")]
    assert [line.name for line in helpers.helping(session=session, helper=people.bram, now=NOW)] == ["Anna de Boer"]
    helpers.revoke(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
    helpers.revoke(session=session, patient=people.anna, grant_id=pending.grant.id, now=NOW)
    assert helpers.helpers_of(session=session, patient=people.anna, now=NOW) == []
    assert helpers.helping(session=session, helper=people.bram, now=NOW) == []


def test_a_second_invitation_for_the_same_person_is_refused_until_the_first_ends(session, people):
    grant = _helping(session, people)
    with use_locale("en"), pytest.raises(helpers.HelperError, match="already"):
        helpers.invite(session=session, patient=people.anna, email="BRAM@example.nl", scope="act",
                       categories=["records"], now=NOW)  # fmt: skip
    helpers.revoke(session=session, patient=people.anna, grant_id=grant.id, now=NOW)
    again = helpers.invite(session=session, patient=people.anna, email=people.bram.email, scope="act",
                           categories=["records"], now=NOW)  # fmt: skip
    assert again.grant.id != grant.id
    # an invitation nobody accepted in time does not stand in the way
    later = NOW + timedelta(days=helpers.INVITATION_DAYS + 1)
    helpers.invite(session=session, patient=people.anna, email="late@example.nl", scope="read",
                   categories=["records"], now=NOW)  # fmt: skip
    helpers.invite(session=session, patient=people.anna, email="late@example.nl", scope="read",
                   categories=["records"], now=later)  # fmt: skip
