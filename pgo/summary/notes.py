"""The patient's own notes for the doctor (issue #21): a short free text the patient writes and keeps."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from pgo.clock import utcnow
from pgo.i18n import _
from pgo.summary.models import SummaryNote

MAX_LENGTH = 1000  # a few short paragraphs: the summary must still fit on two A4 pages


class NoteTooLong(ValueError):
    """The note is longer than the summary can hold; the message says so in the reader's language."""


def note_of(*, session: Session, user_id: int) -> str:
    """The person's note for the doctor, or ''."""
    return session.exec(select(SummaryNote.text).where(SummaryNote.user_id == user_id)).first() or ""


def keep_note(*, session: Session, user_id: int, text: str, now: datetime | None = None) -> str:
    """Keep (or, when empty, remove) the person's note; returns the text as kept (line ends made plain)."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))
    if len(text) > MAX_LENGTH:
        raise NoteTooLong(_("Keep your note under %(n)s characters.", n=MAX_LENGTH))
    note = session.exec(select(SummaryNote).where(SummaryNote.user_id == user_id)).first()
    if not text:
        if note is not None:
            session.delete(note)
            session.flush()
        return ""
    if note is None:
        note = SummaryNote(user_id=user_id, text=text)
    note.text, note.updated_at = text, now or utcnow()
    session.add(note)
    session.flush()
    return text
