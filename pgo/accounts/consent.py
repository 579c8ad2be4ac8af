"""Consent: a patient lets a care team see one category of their data, or all of it, until they revoke it.

Every check reads the database (no caching), so a revocation holds from the next request on, in every app
process. Grants keep who granted and revoked them and when; ``consent_event`` keeps each change as the
person made it.

``all`` covers every category, also ones added later. Revoking one category while ``all`` is granted ends
the ``all`` grant and grants the remaining categories one by one, so the patient's last word per category
always holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from pgo.accounts.models import CareTeam, ConsentEvent, ConsentGrant, Role, TeamMembership, User
from pgo.accounts.wording import category_phrase, format_day, team_label
from pgo.clock import utcnow
from pgo.i18n import _


class Category(StrEnum):
    MEASUREMENTS = "measurements"
    DECISIONS = "decisions"
    RECORDS = "records"
    ALL = "all"


DATA_CATEGORIES: tuple[str, ...] = ("measurements", "decisions", "records")
CATEGORIES: tuple[str, ...] = (*DATA_CATEGORIES, "all")


class ConsentError(ValueError):
    """A consent request that cannot be done; the message says why."""


def _check(session: Session, patient_id: int, team_id: int, category: str, actor_id: int) -> None:
    if category not in CATEGORIES:
        raise ConsentError(_("Choose what the team may see: measurements, decision aids, records or all."))
    patient = session.get(User, patient_id)
    if patient is None or not patient.is_patient:
        raise ConsentError(_("Only patients can give access to their data."))
    if session.get(CareTeam, team_id) is None:
        raise ConsentError(_("This care team does not exist."))
    if session.get(User, actor_id) is None:
        raise ConsentError(_("Unknown account."))


def _current(session: Session, patient_id: int, team_id: int) -> list[ConsentGrant]:
    return list(
        session.exec(
            select(ConsentGrant).where(
                ConsentGrant.user_id == patient_id,
                ConsentGrant.team_id == team_id,
                col(ConsentGrant.revoked_at).is_(None),
            )
        ).all()
    )


def _current_grant(session: Session, patient_id: int, team_id: int, category: str) -> ConsentGrant | None:
    return next((g for g in _current(session, patient_id, team_id) if g.category == category), None)


def _log(session: Session, patient_id: int, team_id: int, category: str, action: str, actor_id: int, now):
    session.add(
        ConsentEvent(user_id=patient_id, team_id=team_id, category=category, action=action, actor_id=actor_id, at=now)
    )


def grant(
    *,
    session: Session,
    patient_id: int,
    team_id: int,
    category: str,
    actor_id: int,
    now: datetime | None = None,
) -> ConsentGrant:
    """Let ``team_id`` see ``category`` of the patient's data. Granting it again changes nothing."""
    _check(session, patient_id, team_id, category, actor_id)
    now = now or utcnow()
    existing = _current_grant(session, patient_id, team_id, category)
    if existing is not None:
        return existing
    record = ConsentGrant(
        user_id=patient_id, team_id=team_id, category=str(category), granted_at=now, granted_by=actor_id
    )
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:  # a parallel grant of the same inserted first (unique index, #17): that one stands
        winner = _current_grant(session, patient_id, team_id, category)
        if winner is None:
            raise
        return winner
    _log(session, patient_id, team_id, str(category), "grant", actor_id, now)
    session.flush()
    return record


def revoke(
    *,
    session: Session,
    patient_id: int,
    team_id: int,
    category: str,
    actor_id: int,
    now: datetime | None = None,
) -> bool:
    """Stop ``team_id`` seeing ``category`` (``all``: everything). True when something was revoked."""
    _check(session, patient_id, team_id, category, actor_id)
    now = now or utcnow()
    current = _current(session, patient_id, team_id)
    ending = current if category == Category.ALL else [g for g in current if g.category in (category, Category.ALL)]
    if not ending:
        return False
    for record in ending:
        record.revoked_at, record.revoked_by = now, actor_id
        session.add(record)
    blanket = next((g for g in ending if g.category == Category.ALL), None)
    if blanket is not None and category != Category.ALL:
        kept = {g.category for g in current if g not in ending}
        for other in DATA_CATEGORIES:
            if other != category and other not in kept:
                session.add(
                    ConsentGrant(
                        user_id=patient_id,
                        team_id=team_id,
                        category=other,
                        granted_at=now,
                        granted_by=blanket.granted_by,
                    )
                )
    _log(session, patient_id, team_id, str(category), "revoke", actor_id, now)
    session.flush()
    return True


@dataclass(frozen=True)
class TeamAccess:
    """What one team may currently see of a patient's data."""

    team_id: int
    team_name: str
    team_kind: str
    categories: tuple[str, ...]  # effective data categories, in DATA_CATEGORIES order
    everything: bool  # an 'all' grant: also categories added later
    since: datetime

    @property
    def team_label(self) -> str:
        return team_label(self.team_name, self.team_kind)


def current_grants(*, session: Session, patient_id: int) -> list[TeamAccess]:
    rows = session.exec(
        select(ConsentGrant, CareTeam)
        .join(CareTeam, col(CareTeam.id) == ConsentGrant.team_id)
        .where(ConsentGrant.user_id == patient_id, col(ConsentGrant.revoked_at).is_(None))
        .order_by(CareTeam.name, col(CareTeam.id))
    ).all()
    by_team: dict[int, tuple[CareTeam, list[ConsentGrant]]] = {}
    for record, team in rows:
        by_team.setdefault(team.id, (team, []))[1].append(record)
    result = []
    for team, grants in by_team.values():
        names = {g.category for g in grants}
        everything = Category.ALL in names
        categories = DATA_CATEGORIES if everything else tuple(c for c in DATA_CATEGORIES if c in names)
        since = min(g.granted_at for g in grants)
        result.append(TeamAccess(team.id, team.name, team.kind, categories, everything, since))
    return result


def _granting_categories(category: str) -> list[str]:
    # The grants that open ``category``: its own and ``all`` (for ``all`` the same one twice, which is harmless;
    # #23, 2026-12-03).
    return [category, Category.ALL]


@dataclass(frozen=True)
class ClinicianAccess:
    """What a clinician may see of one patient now, through any of their teams."""

    categories: frozenset[str]  # each of CATEGORIES with a current grant for it (or for all)
    team_ids: tuple[int, ...]  # the clinician's teams with any current grant for this patient, sorted


NO_ACCESS = ClinicianAccess(frozenset(), ())


def access_to_patient(*, session: Session, clinician_id: int, patient_id: int) -> ClinicianAccess:
    """Every current grant of this patient to a team of this clinician, in one query."""
    clinician = session.get(User, clinician_id)
    if clinician is None or not clinician.is_clinician:
        return NO_ACCESS
    rows = session.exec(
        select(ConsentGrant.category, ConsentGrant.team_id)
        .join(TeamMembership, col(TeamMembership.team_id) == ConsentGrant.team_id)
        .where(
            TeamMembership.clinician_id == clinician_id,
            ConsentGrant.user_id == patient_id,
            col(ConsentGrant.revoked_at).is_(None),
        )
    ).all()
    granted = {category for category, _team in rows}
    categories = frozenset(c for c in CATEGORIES if granted.intersection(_granting_categories(c)))
    return ClinicianAccess(categories, tuple(sorted({team for _category, team in rows})))


def can_view(*, session: Session, clinician_id: int, patient_id: int, category: str) -> bool:
    """Whether the clinician belongs to a team with a current grant for this category of this patient."""
    if category not in CATEGORIES:
        return False
    access = access_to_patient(session=session, clinician_id=clinician_id, patient_id=patient_id)
    return category in access.categories


def teams_with_access(*, session: Session, clinician_id: int, patient_id: int) -> list[int]:
    """The clinician's teams that have any current grant for this patient."""
    return list(access_to_patient(session=session, clinician_id=clinician_id, patient_id=patient_id).team_ids)


@dataclass(frozen=True)
class VisiblePatient:
    patient_id: int
    name: str
    categories: tuple[str, ...]  # what the clinician may see, in DATA_CATEGORIES order
    team_ids: tuple[int, ...]  # through which of the clinician's teams


def consenting_patient_ids(*, clinician_id: int, category: str | None = None) -> Select:
    """A subquery of the patients with a current grant (for ``category``, or for anything) to a team of this
    clinician. Used inside other queries, so that no page lists every consenting patient (#22); a member who is
    not a clinician (any more) sees no one."""
    teams = (
        select(TeamMembership.team_id)
        .join(User, col(User.id) == TeamMembership.clinician_id)
        .where(TeamMembership.clinician_id == clinician_id, User.role == Role.CLINICIAN)
    )
    query = select(ConsentGrant.user_id).where(
        col(ConsentGrant.team_id).in_(teams), col(ConsentGrant.revoked_at).is_(None)
    )
    if category is not None:
        query = query.where(col(ConsentGrant.category).in_(_granting_categories(category)))
    return query


def count_consenting_patients(*, session: Session, clinician_id: int, category: str | None = None) -> int:
    """How many patients share anything (or ``category``) with this clinician."""
    ids = consenting_patient_ids(clinician_id=clinician_id, category=category).distinct().subquery()
    return session.exec(select(func.count()).select_from(ids)).one()


def visible_patients(
    *,
    session: Session,
    clinician_id: int,
    category: str | None = None,
    among: Iterable[int] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[VisiblePatient]:
    """Patients with a current grant (for ``category``, or for anything) to a team of this clinician, with what
    they share and through which teams, sorted by name. ``among`` keeps only those patients; ``offset`` and
    ``limit`` take one page. Two queries, whose size does not grow with the clinic (#22)."""
    people = select(User.id, User.name).where(
        col(User.id).in_(consenting_patient_ids(clinician_id=clinician_id, category=category))
    )
    if among is not None:
        wanted = sorted(set(among))
        if not wanted:
            return []
        people = people.where(col(User.id).in_(wanted))
    people = people.order_by(func.lower(User.name), col(User.id)).offset(offset)
    if limit is not None:
        people = people.limit(limit)
    names = dict(session.exec(people).all())
    if not names:
        return []
    rows = session.exec(
        select(ConsentGrant.user_id, ConsentGrant.category, ConsentGrant.team_id)
        .join(TeamMembership, col(TeamMembership.team_id) == ConsentGrant.team_id)
        .where(
            TeamMembership.clinician_id == clinician_id,
            col(ConsentGrant.revoked_at).is_(None),
            col(ConsentGrant.user_id).in_(list(names)),
        )
    ).all()
    seen: dict[int, tuple[set[str], set[int]]] = {pid: (set(), set()) for pid in names}
    for patient_id, granted, team_id in rows:
        categories, teams = seen[patient_id]
        categories.update(DATA_CATEGORIES if granted == Category.ALL else (granted,))
        teams.add(team_id)
    return [
        VisiblePatient(
            patient_id=pid,
            name=name or "",
            categories=tuple(c for c in DATA_CATEGORIES if c in seen[pid][0]),
            team_ids=tuple(sorted(seen[pid][1])),
        )
        for pid, name in names.items()
    ]


@dataclass(frozen=True)
class ConsentChange:
    """One line of the patient's consent history."""

    at: datetime
    action: str  # grant | revoke
    category: str
    team_id: int
    team_name: str
    team_kind: str
    actor_id: int
    actor_name: str
    by_patient: bool

    @property
    def sentence(self) -> str:
        values = {
            "team": team_label(self.team_name, self.team_kind),
            "what": category_phrase(self.category),
            "date": format_day(self.at),
        }
        if self.action == "grant":
            if self.by_patient:
                return _("You gave %(team)s access to %(what)s on %(date)s.", **values)
            return _("%(who)s gave %(team)s access to %(what)s on %(date)s.", who=self.actor_name, **values)
        if self.by_patient:
            return _("You withdrew the access of %(team)s to %(what)s on %(date)s.", **values)
        return _("%(who)s withdrew the access of %(team)s to %(what)s on %(date)s.", who=self.actor_name, **values)


def consent_history(*, session: Session, patient_id: int) -> list[ConsentChange]:
    """Every consent change for this patient, oldest first."""
    rows = session.exec(
        select(ConsentEvent, CareTeam, User)
        .join(CareTeam, col(CareTeam.id) == ConsentEvent.team_id)
        .join(User, col(User.id) == ConsentEvent.actor_id)
        .where(ConsentEvent.user_id == patient_id)
        .order_by(col(ConsentEvent.at), col(ConsentEvent.id))
    ).all()
    return [
        ConsentChange(
            at=change.at,
            action=change.action,
            category=change.category,
            team_id=team.id,
            team_name=team.name,
            team_kind=team.kind,
            actor_id=actor.id,
            actor_name=actor.name or actor.email,
            by_patient=actor.id == patient_id,
        )
        for change, team, actor in rows
    ]
