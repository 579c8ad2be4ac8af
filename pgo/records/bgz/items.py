"""What a person reads about one BgZ section item: a title, a date, a status in words, facts and notes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from pgo.records.dates import display_date, parse_fhir_date


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class SectionItem:
    kind: str  # "alert", "treatment-directive", "advance-directive", "care-plan", "goal", "appointment", ...
    title: str
    when_text: str = ""  # the FHIR date as received, shown at its own precision
    status: str = ""  # in words
    facts: tuple[Fact, ...] = ()
    notes: tuple[str, ...] = ()
    current: bool = True  # active, valid now, or still to come
    important: bool = False  # said first and marked (an active alert, a treatment someone does not want)
    group: str = ""  # the part of the page it belongs to ("upcoming", "past", "team", "contacts", ...)
    sources: tuple[str, ...] = field(default=(), compare=False)

    @property
    def moment(self) -> datetime | None:
        return parse_fhir_date(self.when_text)[0]

    def when(self, lang: str) -> str:
        return display_date(self.when_text, lang) if self.when_text else ""

    def key(self) -> tuple:
        """The same fact from two sources (a zib2017 and a zib2020 copy) is shown once."""
        moment = self.moment
        return (self.kind, self.group, self.title.casefold(), moment.date() if moment else None, self.status)

    def with_sources(self, sources: tuple[str, ...]) -> SectionItem:
        return replace(self, sources=sources)


def facts(*pairs: tuple[str, str]) -> tuple[Fact, ...]:
    """Facts with a value; empty ones are left out."""
    return tuple(Fact(label, value) for label, value in pairs if value)


def ended(end_text: str, now: datetime) -> bool:
    end = parse_fhir_date(end_text)[0] if end_text else None
    return end is not None and end < now
