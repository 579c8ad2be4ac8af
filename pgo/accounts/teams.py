"""Care teams: a practice or a department, and the clinicians in it. No Flask here."""

from __future__ import annotations

from sqlmodel import Session, select

from pgo.accounts.models import CareTeam, TeamKind, TeamMembership, User
from pgo.i18n import _


class TeamError(ValueError):
    """A request about a care team that cannot be done; the message says why."""


def create_team(*, session: Session, name: str, kind: TeamKind | str = TeamKind.PRACTICE) -> CareTeam:
    name = name.strip()
    if not name:
        raise TeamError(_("Enter the name of the care team."))
    if kind not in tuple(TeamKind):
        raise TeamError(_("Choose the kind of team: practice, department or other."))
    team = CareTeam(name=name, kind=str(kind))
    session.add(team)
    session.flush()
    return team


def add_clinician(*, session: Session, team_id: int, clinician_id: int) -> TeamMembership:
    """Put a clinician in a team (again adding an existing member changes nothing)."""
    team = session.get(CareTeam, team_id)
    if team is None:
        raise TeamError(_("This care team does not exist."))
    user = session.get(User, clinician_id)
    if user is None or not user.is_clinician:
        raise TeamError(_("Only clinicians can join a care team."))
    existing = session.exec(
        select(TeamMembership).where(TeamMembership.team_id == team_id, TeamMembership.clinician_id == clinician_id)
    ).first()
    if existing is not None:
        return existing
    membership = TeamMembership(team_id=team_id, clinician_id=clinician_id)
    session.add(membership)
    session.flush()
    return membership


def remove_clinician(*, session: Session, team_id: int, clinician_id: int) -> bool:
    """Take a clinician out of a team; from the next check on they see nothing through that team."""
    membership = session.exec(
        select(TeamMembership).where(TeamMembership.team_id == team_id, TeamMembership.clinician_id == clinician_id)
    ).first()
    if membership is None:
        return False
    session.delete(membership)
    session.flush()
    return True


def team_ids_of(*, session: Session, clinician_id: int) -> list[int]:
    """The teams a clinician belongs to (empty for anyone who is not a clinician)."""
    user = session.get(User, clinician_id)
    if user is None or not user.is_clinician:
        return []
    return list(session.exec(select(TeamMembership.team_id).where(TeamMembership.clinician_id == clinician_id)).all())


def is_member(*, session: Session, team_id: int, clinician_id: int) -> bool:
    return team_id in team_ids_of(session=session, clinician_id=clinician_id)
