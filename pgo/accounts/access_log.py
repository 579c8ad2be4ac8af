"""The patient's own access log in plain words: 'Dr. Jansen (Praktijk De Linde) bekeek uw bloeddruk ...'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from pgo.accounts.models import AccessLogEntry, CareTeam, User
from pgo.accounts.wording import format_day, team_label
from pgo.i18n import _

# One phrase per object code of pgo.accounts.audit.OBJECTS (a test keeps them in step).
OBJECT_PHRASES: dict[str, Callable[[], str]] = {
    "measurements": lambda: _("your measurements"),
    "blood_pressure": lambda: _("your blood pressure"),
    "weight": lambda: _("your weight"),
    "glucose": lambda: _("your blood glucose"),
    "decisions": lambda: _("your decision aids"),
    "records": lambda: _("your imported records"),
    "notes": lambda: _("the team's notes about you"),
    "overview": lambda: _("your overview"),
    "summary": lambda: _("your health summary"),
    "questionnaires": lambda: _("your answers to a questionnaire"),
    "all": lambda: _("all your data"),
}

PURPOSE_PHRASES: dict[str, Callable[[], str]] = {
    "care": lambda: _("Reason: your care."),
    "consultation": lambda: _("Reason: preparing a consultation with you."),
    "emergency": lambda: _("Reason: an emergency."),
    "support": lambda: _("Reason: helping you with the app."),
    "audit": lambda: _("Reason: a check of the access log."),
    "helper": lambda: _("Reason: your helper acted for you."),
}


def _helper_sentence(action: str, who: str, what: str, date: str) -> str:
    """A helper's action (#21): as the helper, on behalf of the patient."""
    if action == "enter":
        return _("%(who)s, your helper, entered or answered something in %(what)s for you on %(date)s.", who=who,
                 what=what, date=date)  # fmt: skip
    return _("%(who)s, your helper, viewed %(what)s for you on %(date)s.", who=who, what=what, date=date)


def _sentence(action: str, who: str, team: str, what: str, date: str) -> str:
    if action == "export":
        if team:
            return _("%(who)s (%(team)s) exported %(what)s on %(date)s.", who=who, team=team, what=what, date=date)
        return _("%(who)s exported %(what)s on %(date)s.", who=who, what=what, date=date)
    if team:
        return _("%(who)s (%(team)s) viewed %(what)s on %(date)s.", who=who, team=team, what=what, date=date)
    return _("%(who)s viewed %(what)s on %(date)s.", who=who, what=what, date=date)


@dataclass(frozen=True)
class AccessLogLine:
    """One access to the patient's data, as the patient reads it."""

    id: int
    at: datetime
    actor_name: str
    team_name: str  # the team's own name; team_label says "Praktijk ..." in the reader's language
    team_kind: str
    what: str
    purpose: str
    actor_role: str = ""
    detail: str = ""

    @property
    def team_label(self) -> str:
        return team_label(self.team_name, self.team_kind)

    @property
    def sentence(self) -> str:
        action, _sep, thing = self.what.partition(":")
        phrase = OBJECT_PHRASES.get(thing, lambda: _("your data"))()
        if action == "send":  # pgo sent it, at the patient's request, to a provider they connected (#20)
            return _("pgo sent %(what)s to %(provider)s on %(date)s.", what=phrase, provider=self.detail,
                     date=format_day(self.at))  # fmt: skip
        if self.actor_role == "share_link":  # no account: someone who had one of the patient's links (#21)
            return _("Someone opened %(what)s with your share link on %(date)s.", what=phrase, date=format_day(self.at))
        if self.actor_role == "helper":
            return _helper_sentence(action, self.actor_name, phrase, format_day(self.at))
        return _sentence(action, self.actor_name, self.team_label, phrase, format_day(self.at))

    @property
    def reason(self) -> str:
        return PURPOSE_PHRASES.get(self.purpose, lambda: "")()


def access_log_for_patient(
    *, session: Session, patient_id: int, limit: int = 100, before_id: int | None = None
) -> list[AccessLogLine]:
    """The newest accesses to this patient's data first; page on with ``before_id`` (the last line's id)."""
    actor = aliased(User)
    query = (
        select(AccessLogEntry, actor, CareTeam)
        .join(actor, col(actor.id) == AccessLogEntry.actor_id, isouter=True)
        .join(CareTeam, col(CareTeam.id) == AccessLogEntry.team_id, isouter=True)
        .where(AccessLogEntry.user_id == patient_id)
        .order_by(col(AccessLogEntry.id).desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(col(AccessLogEntry.id) < before_id)
    return [
        AccessLogLine(
            id=entry.id,
            at=entry.at,
            actor_name=(person.name or person.email) if person else _("The pgo system"),
            team_name=team.name if team else "",
            team_kind=team.kind if team else "",
            what=entry.what,
            purpose=entry.purpose,
            actor_role=entry.actor_role,
            detail=entry.detail,
        )
        for entry, person, team in session.exec(query).all()
    ]
