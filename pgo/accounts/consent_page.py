"""What the patient's "Who may see my data" page shows: every care team, per category whether it may look.

Presenters only: the page gets small objects with words and states, never grant rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from pgo.accounts.consent import DATA_CATEGORIES, ConsentChange, consent_history, current_grants
from pgo.accounts.models import CareTeam
from pgo.accounts.wording import team_label
from pgo.i18n import _

CATEGORY_NAMES = {
    "measurements": lambda: _("Measurements"),
    "decisions": lambda: _("Decision aids"),
    "records": lambda: _("Imported records"),
    "all": lambda: _("Everything, also what is added later"),
}


@dataclass(frozen=True)
class CategoryAccess:
    category: str
    allowed: bool

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.category]()


@dataclass(frozen=True)
class TeamConsent:
    team_id: int
    name: str
    kind: str
    everything: bool
    categories: tuple[CategoryAccess, ...]  # the data categories, then "all"

    @property
    def label(self) -> str:
        return team_label(self.name, self.kind)

    @property
    def any_access(self) -> bool:
        return any(c.allowed for c in self.categories)


def consent_overview(*, session: Session, patient_id: int) -> list[TeamConsent]:
    """Every care team, sorted by name, with what it may currently see of this patient's data."""
    current = {access.team_id: access for access in current_grants(session=session, patient_id=patient_id)}
    result = []
    for team in session.exec(select(CareTeam).order_by(col(CareTeam.name), col(CareTeam.id))).all():
        access = current.get(team.id)
        allowed = set(access.categories) if access else set()
        everything = bool(access and access.everything)
        categories = tuple(CategoryAccess(c, c in allowed) for c in DATA_CATEGORIES)
        result.append(
            TeamConsent(team.id, team.name, team.kind, everything, (*categories, CategoryAccess("all", everything)))
        )
    return result


def history_newest_first(*, session: Session, patient_id: int, limit: int | None = None) -> list[ConsentChange]:
    changes = list(reversed(consent_history(session=session, patient_id=patient_id)))
    return changes[:limit] if limit else changes
