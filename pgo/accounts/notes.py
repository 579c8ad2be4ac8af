"""Team notes: what a care team writes down about a patient. Only that team's members read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from pgo.accounts.consent import teams_with_access
from pgo.accounts.models import TeamNote, User
from pgo.accounts.teams import is_member
from pgo.clock import utcnow
from pgo.i18n import _


class NoteError(ValueError):
    """A note that cannot be written; the message says why."""


MAX_NOTE_LENGTH = 10_000


def add_note(
    *, session: Session, team_id: int, patient_id: int, author_id: int, text: str, now: datetime | None = None
) -> TeamNote:
    """A note by a team member about a patient who currently gives that team access."""
    text = text.strip()
    if not text:
        raise NoteError(_("Write a note first."))
    if len(text) > MAX_NOTE_LENGTH:
        raise NoteError(_("Keep the note under %(n)s characters.", n=MAX_NOTE_LENGTH))
    if not is_member(session=session, team_id=team_id, clinician_id=author_id):
        raise NoteError(_("You can only write notes for your own care team."))
    if team_id not in teams_with_access(session=session, clinician_id=author_id, patient_id=patient_id):
        raise NoteError(_("This patient has not given your team access."))
    note = TeamNote(team_id=team_id, user_id=patient_id, author_id=author_id, text=text, created_at=now or utcnow())
    session.add(note)
    session.flush()
    return note


@dataclass(frozen=True)
class NoteView:
    id: int
    team_id: int
    author_name: str
    text: str
    created_at: datetime


def notes_for(*, session: Session, clinician_id: int, patient_id: int) -> list[NoteView]:
    """Notes about the patient by the clinician's own teams that have a current grant; newest first.

    Another team's notes are never returned, whatever that team's consent.
    """
    team_ids = teams_with_access(session=session, clinician_id=clinician_id, patient_id=patient_id)
    if not team_ids:
        return []
    rows = session.exec(
        select(TeamNote, User)
        .join(User, col(User.id) == TeamNote.author_id)
        .where(TeamNote.user_id == patient_id, col(TeamNote.team_id).in_(team_ids))
        .order_by(col(TeamNote.created_at).desc(), col(TeamNote.id).desc())
    ).all()
    return [NoteView(n.id, n.team_id, author.name or author.email, n.text, n.created_at) for n, author in rows]
