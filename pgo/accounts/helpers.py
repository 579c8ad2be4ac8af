"""Helpers (#21): people a patient lets see, and perhaps enter, some of their data, acting for them.

A patient invites a helper by e-mail address; the invitation carries a code (only its hash is kept) that the
invited person, signed in with that address, accepts. From then on the helper may act for the patient within the
scope: ``read`` (see) or ``act`` (also enter measurements and answer decision aids and questionnaires), for the
chosen categories, until the end date, until the patient revokes it.

Every check reads the database (``current_grant``), so a revoke holds from the next request on, in every worker.

Children (WGBO): a parent or guardian may help a child's account. From 12 years the child must agree before a
parent can act; from 16 the young person decides alone, so a parent's access ends on the 16th birthday unless the
young person invites them again as an ordinary helper.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from pgo.accounts.models import AccountBirthDate, HelperGrant, User
from pgo.accounts.service import normalise_email
from pgo.accounts.wording import LOCAL_ZONE
from pgo.clock import as_utc, utcnow
from pgo.i18n import _

# What a helper may be given, in the order the patient reads them.
HELPER_CATEGORIES: tuple[str, ...] = ("measurements", "decisions", "questionnaires", "records")
SCOPES: tuple[str, ...] = ("read", "act")
RELATIONS: tuple[str, ...] = ("helper", "parent")
INVITATION_DAYS = 14
CHILD_AGREES_FROM = 12
CHILD_DECIDES_FROM = 16


class HelperError(ValueError):
    """A helper request that cannot be done; the message says why, ``field`` where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def local_today(now: datetime | None = None) -> date:
    return as_utc(now or utcnow()).astimezone(LOCAL_ZONE).date()


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_of(*, session: Session, user_id: int) -> date | None:
    found = session.get(AccountBirthDate, user_id)
    return found.birth_date if found else None


def set_birth_date(*, session: Session, user: User, birth_date: date, now: datetime | None = None) -> None:
    """Keep the person's date of birth; raises HelperError for a day in the future or before 1900."""
    if birth_date > local_today(now) or birth_date.year < 1900:
        raise HelperError(_("Enter your date of birth, for example 12-04-2012."), field="birth_date")
    found = session.get(AccountBirthDate, user.id) or AccountBirthDate(user_id=user.id, birth_date=birth_date)
    found.birth_date = birth_date
    session.add(found)
    session.flush()


def categories_of(grant: HelperGrant) -> tuple[str, ...]:
    chosen = set(grant.categories.split(","))
    return tuple(c for c in HELPER_CATEGORIES if c in chosen)


@dataclass(frozen=True)
class Invitation:
    grant: HelperGrant
    code: str  # shown once to the patient, in the link they hand over


def invite(
    *,
    session: Session,
    patient: User,
    email: str,
    scope: str,
    categories: list[str] | tuple[str, ...],
    ends_on: date | None = None,
    relation: str = "helper",
    now: datetime | None = None,
) -> Invitation:
    """An invitation for the person with ``email`` to help ``patient``; raises HelperError on bad input."""
    now = now or utcnow()
    email = normalise_email(email)
    if not patient.is_patient:
        raise HelperError(_("Only patients can invite a helper."))
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 320:
        raise HelperError(_("Enter an email address like name@example.nl."), field="email")
    if email == patient.email:
        raise HelperError(_("Enter the email address of someone else: you cannot be your own helper."), field="email")
    if scope not in SCOPES:
        raise HelperError(_("Choose what your helper may do."), field="scope")
    chosen = [c for c in HELPER_CATEGORIES if c in set(categories)]
    if not chosen or len(chosen) != len(set(categories)):
        raise HelperError(_("Choose at least one part of your data your helper may use."), field="categories")
    if relation not in RELATIONS:
        raise HelperError(_("Choose whether this person is your parent or guardian."), field="relation")
    if ends_on is not None and ends_on < local_today(now):
        raise HelperError(_("Choose an end date that is today or later, or leave it empty."), field="ends_on")
    if relation == "parent":
        problem = parent_problem(birth_date_of(session=session, user_id=patient.id), local_today(now))
        if problem:
            raise HelperError(problem, field="relation")
    if _already(session, patient.id, email, now):
        raise HelperError(
            _("This person already helps you, or has an invitation. Stop that first to change what they may do."),
            field="email",
        )
    code = secrets.token_urlsafe(18)
    grant = HelperGrant(
        patient_id=patient.id,
        invited_email=email,
        code_hash=_hash(code),
        scope=scope,
        categories=",".join(chosen),
        relation=relation,
        ends_on=ends_on,
        created_at=now,
    )
    session.add(grant)
    session.flush()
    return Invitation(grant, code)


def _already(session: Session, patient_id: int, email: str, now: datetime) -> bool:
    """Whether this address has a grant of the patient's that is not revoked: accepted, or an open invitation."""
    open_since = as_utc(now) - timedelta(days=INVITATION_DAYS)
    for grant in session.exec(
        select(HelperGrant).where(
            HelperGrant.patient_id == patient_id,
            HelperGrant.invited_email == email,
            col(HelperGrant.revoked_at).is_(None),
        )
    ).all():
        if grant.accepted_at is not None or as_utc(grant.created_at) >= open_since:
            return True
    return False


def parent_problem(birth: date | None, today: date) -> str:
    """Why a parent cannot be invited as a parent for someone born on ``birth`` ('' when they can)."""
    if birth is None:
        return _("Fill in your date of birth first: the rules for parents depend on your age.")
    if age_on(birth, today) >= CHILD_DECIDES_FROM:
        return _(
            "From 16 you decide alone who sees your data. Invite your parent as an ordinary helper if you want to."
        )
    return ""


def invitation_for(*, session: Session, code: str, now: datetime | None = None) -> HelperGrant | None:
    """The open invitation with this code: not accepted, not withdrawn, not older than INVITATION_DAYS."""
    now = now or utcnow()
    grant = session.exec(select(HelperGrant).where(HelperGrant.code_hash == _hash(code))).first()
    if grant is None or grant.accepted_at is not None or grant.revoked_at is not None:
        return None
    if as_utc(grant.created_at) + timedelta(days=INVITATION_DAYS) < as_utc(now):
        return None
    return grant


def accept(*, session: Session, code: str, helper: User, now: datetime | None = None) -> HelperGrant:
    """The invited person accepts: they must be signed in with the address the invitation was sent to."""
    now = now or utcnow()
    grant = invitation_for(session=session, code=code, now=now)
    if grant is None:
        raise HelperError(_("This invitation is no longer valid. Ask for a new one."))
    if normalise_email(helper.email) != grant.invited_email:
        raise HelperError(_("This invitation is for another email address. Sign in with the address it was sent to."))
    if helper.id == grant.patient_id or not helper.is_patient:
        raise HelperError(_("This account cannot accept the invitation."))
    grant.helper_id, grant.accepted_at = helper.id, now
    session.add(grant)
    session.flush()
    return grant


def child_agrees(*, session: Session, patient: User, grant_id: int, now: datetime | None = None) -> None:
    """The child (12 to 15) agrees that their parent helps them."""
    grant = session.get(HelperGrant, grant_id)
    if grant is None or grant.patient_id != patient.id or grant.revoked_at is not None:
        raise HelperError(_("This helper does not exist."))
    grant.child_agreed_at = now or utcnow()
    session.add(grant)
    session.flush()


def revoke(*, session: Session, patient: User, grant_id: int, now: datetime | None = None) -> bool:
    """The patient ends a helper's access (or withdraws an invitation). True when something ended."""
    grant = session.get(HelperGrant, grant_id)
    if grant is None or grant.patient_id != patient.id:
        raise HelperError(_("This helper does not exist."))
    if grant.revoked_at is not None:
        return False
    grant.revoked_at, grant.revoked_by = now or utcnow(), patient.id
    session.add(grant)
    session.flush()
    return True


def stop_helping(*, session: Session, helper: User, grant_id: int, now: datetime | None = None) -> None:
    """The helper stops helping: the same as the patient revoking it."""
    grant = session.get(HelperGrant, grant_id)
    if grant is None or grant.helper_id != helper.id:
        raise HelperError(_("This helper does not exist."))
    if grant.revoked_at is None:
        grant.revoked_at, grant.revoked_by = now or utcnow(), helper.id
        session.add(grant)
        session.flush()


def why_not_current(grant: HelperGrant, birth: date | None, today: date) -> str:
    """'' when the grant holds today; else a code: revoked, pending, ended, child_must_agree, child_decides."""
    if grant.revoked_at is not None:
        return "revoked"
    if grant.accepted_at is None or grant.helper_id is None:
        return "pending"
    if grant.ends_on is not None and grant.ends_on < today:
        return "ended"
    if grant.relation == "parent":  # the patient's birth date decides (WGBO): unknown counts as grown up
        if birth is None:
            return "child_decides"
        age = age_on(birth, today)
        if age >= CHILD_DECIDES_FROM:
            return "child_decides"
        if age >= CHILD_AGREES_FROM and grant.child_agreed_at is None:
            return "child_must_agree"
    return ""


@dataclass(frozen=True)
class Acting:
    """A helper acting for a patient in this request."""

    grant: HelperGrant
    patient: User

    @property
    def categories(self) -> tuple[str, ...]:
        return categories_of(self.grant)

    @property
    def may_enter(self) -> bool:
        return self.grant.scope == "act"

    def allows(self, category: str, *, write: bool = False) -> bool:
        return category in self.categories and (self.may_enter or not write)


def current_grant(*, session: Session, grant_id: int, helper_id: int, now: datetime | None = None) -> Acting | None:
    """The grant ``helper_id`` acts under, read from the database now; None when it no longer holds."""
    grant = session.get(HelperGrant, grant_id, populate_existing=True)
    if grant is None or grant.helper_id != helper_id:
        return None
    patient = session.get(User, grant.patient_id)
    birth = birth_date_of(session=session, user_id=grant.patient_id)
    if patient is None or why_not_current(grant, birth, local_today(now)):
        return None
    return Acting(grant, patient)


@dataclass(frozen=True)
class HelperLine:
    """One helper or invitation as the patient (or the helper) reads it."""

    grant: HelperGrant
    person: User | None  # the helper (patient's list) or the patient (helper's list); None: not yet accepted
    state: str  # '' current, or a code of why_not_current

    @property
    def name(self) -> str:
        if self.person is None:
            return self.grant.invited_email
        return self.person.name or self.person.email

    @property
    def categories(self) -> tuple[str, ...]:
        return categories_of(self.grant)


def helpers_of(*, session: Session, patient: User, now: datetime | None = None) -> list[HelperLine]:
    """The patient's helpers and open invitations, newest first (revoked ones are left out)."""
    today = local_today(now)
    rows = session.exec(
        select(HelperGrant, User)
        .join(User, col(User.id) == HelperGrant.helper_id, isouter=True)
        .where(HelperGrant.patient_id == patient.id, col(HelperGrant.revoked_at).is_(None))
        .order_by(col(HelperGrant.id).desc())
    ).all()
    birth = birth_date_of(session=session, user_id=patient.id)
    return [HelperLine(grant, helper, why_not_current(grant, birth, today)) for grant, helper in rows]


def helping(*, session: Session, helper: User, now: datetime | None = None) -> list[HelperLine]:
    """The people ``helper`` helps (accepted, not revoked), with whether each grant holds today."""
    today = local_today(now)
    rows = session.exec(
        select(HelperGrant, User)
        .join(User, col(User.id) == HelperGrant.patient_id)
        .where(HelperGrant.helper_id == helper.id, col(HelperGrant.revoked_at).is_(None))
        .order_by(col(User.name))
    ).all()
    return [
        HelperLine(grant, patient, why_not_current(grant, birth_date_of(session=session, user_id=patient.id), today))
        for grant, patient in rows
    ]
