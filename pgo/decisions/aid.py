"""Decision aids as data: one YAML file per aid, Dutch and English side by side.

The file is shaped like a FHIR Questionnaire (canonical ``url``, ``version``, ``status``, ``title``, items with
``linkId``) and carries the IPDAS qualifying content: the condition, the decision, at least two options with
their good and bad sides and what each is like to live with, sources, publication date, update policy, how
certain the evidence is and who made it. ``validate_aid`` refuses a file that lacks any of these.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pgo.decisions.validation import Problem, validate_aid

AIDS_DIR = Path(__file__).resolve().parent / "aids"
LANGUAGES = ("nl", "en")
NOT_SURE = "not-sure"


class AidNotFound(LookupError):
    """There is no decision aid with this id or path."""


class InvalidAid(ValueError):
    """The aid file does not meet the format; ``problems`` says what is missing."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """One text in both languages, with an optional simpler wording for the simplified view."""

    nl: str
    en: str
    simple_nl: str | None = None
    simple_en: str | None = None

    def get(self, lang: str, level: str = "standard") -> str:
        if level == "simple":
            simple = self.simple_en if lang == "en" else self.simple_nl
            if simple:
                return simple
        return self.en if lang == "en" else self.nl

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Text:
        simple = data.get("simple") or {}
        return cls(
            nl=str(data["nl"]).strip(),
            en=str(data["en"]).strip(),
            simple_nl=str(simple["nl"]).strip() if simple.get("nl") else None,
            simple_en=str(simple["en"]).strip() if simple.get("en") else None,
        )


@dataclass(frozen=True)
class Option:
    code: str
    name: Text
    summary: Text
    benefits: tuple[Text, ...]
    harms: tuple[Text, ...]
    living_with: Text
    waiting: bool = False


@dataclass(frozen=True)
class GridRow:
    """A frequently asked question with one answer per option (an option grid row)."""

    link_id: str
    question: Text
    answers: Mapping[str, Text]


@dataclass(frozen=True)
class Consideration:
    """Something that may matter to the patient; rated 1 (not important) to 5 (very important)."""

    link_id: str
    text: Text


@dataclass(frozen=True)
class Chance:
    """One outcome compared across options: ``affected[code]`` out of the shared ``denominator`` people."""

    link_id: str
    outcome: Text
    denominator: int
    affected: Mapping[str, int]
    period: Text
    source: str


@dataclass(frozen=True)
class KnowledgeChoice:
    code: str
    text: Text


@dataclass(frozen=True)
class KnowledgeQuestion:
    link_id: str
    question: Text
    choices: tuple[KnowledgeChoice, ...]
    correct: str
    explanation: Text


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class DecisionAid:
    id: str
    url: str
    version: str
    status: str
    example_content: bool
    title: Text
    condition: Text
    decision: Text
    options: tuple[Option, ...]
    grid: tuple[GridRow, ...]
    considerations: tuple[Consideration, ...]
    chances: tuple[Chance, ...]
    knowledge_check: tuple[KnowledgeQuestion, ...]
    sources: tuple[Source, ...]
    published: date
    update_policy: Text
    evidence_certainty: Text
    author: str
    waiting_note: Text | None = None
    path: Path | None = field(default=None, compare=False)
    # the lab tests that matter for this decision (explanation catalogue ids): the clinician's preparation shows
    # their latest results (#18)
    relevant_labs: tuple[str, ...] = ()

    @property
    def canonical(self) -> str:
        """The canonical reference a QuestionnaireResponse points to: ``url|version``."""
        return f"{self.url}|{self.version}"

    def option(self, code: str) -> Option:
        for option in self.options:
            if option.code == code:
                return option
        raise KeyError(code)

    @property
    def option_codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)


def _texts(items: Any) -> tuple[Text, ...]:
    return tuple(Text.parse(item) for item in items)


def _option(data: Mapping[str, Any]) -> Option:
    return Option(
        code=data["code"],
        name=Text.parse(data["name"]),
        summary=Text.parse(data["summary"]),
        benefits=_texts(data["benefits"]),
        harms=_texts(data["harms"]),
        living_with=Text.parse(data["living_with"]),
        waiting=bool(data.get("waiting", False)),
    )


def _knowledge(data: Mapping[str, Any]) -> KnowledgeQuestion:
    return KnowledgeQuestion(
        link_id=data["linkId"],
        question=Text.parse(data["question"]),
        choices=tuple(KnowledgeChoice(c["code"], Text.parse(c["text"])) for c in data["choices"]),
        correct=data["correct"],
        explanation=Text.parse(data["explanation"]),
    )


def _chance(data: Mapping[str, Any]) -> Chance:
    return Chance(
        link_id=data["linkId"],
        outcome=Text.parse(data["outcome"]),
        denominator=int(data["denominator"]),
        affected={code: int(n) for code, n in data["affected"].items()},
        period=Text.parse(data["period"]),
        source=str(data["source"]),
    )


def parse_aid(data: Mapping[str, Any], path: Path | None = None) -> DecisionAid:
    """A DecisionAid from checked data. Raises InvalidAid when ``validate_aid`` finds problems."""
    problems = validate_aid(data)
    if problems:
        raise InvalidAid(problems)
    published = data["published"]
    return DecisionAid(
        id=data["id"],
        url=data["url"],
        version=str(data["version"]),
        status=data["status"],
        example_content=bool(data.get("example_content", False)),
        title=Text.parse(data["title"]),
        condition=Text.parse(data["condition"]),
        decision=Text.parse(data["decision"]),
        options=tuple(_option(o) for o in data["options"]),
        grid=tuple(
            GridRow(r["linkId"], Text.parse(r["question"]), {k: Text.parse(v) for k, v in r["answers"].items()})
            for r in data["grid"]
        ),
        considerations=tuple(Consideration(c["linkId"], Text.parse(c["text"])) for c in data["considerations"]),
        chances=tuple(_chance(c) for c in data["chances"]),
        knowledge_check=tuple(_knowledge(q) for q in data["knowledge_check"]),
        sources=tuple(Source(s["title"], s["url"]) for s in data["sources"]),
        published=published if isinstance(published, date) else date.fromisoformat(str(published)),
        update_policy=Text.parse(data["update_policy"]),
        evidence_certainty=Text.parse(data["evidence_certainty"]),
        author=str(data["author"]),
        waiting_note=Text.parse(data["waiting_note"]) if data.get("waiting_note") else None,
        path=path,
        relevant_labs=tuple(str(lab) for lab in data.get("relevant_labs") or ()),
    )


def read_aid_file(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def available_aids() -> list[DecisionAid]:
    """Every aid shipped in ``pgo/decisions/aids``, sorted by id."""
    return sorted((load_aid(aid_id) for aid_id in registered_aids()), key=lambda aid: aid.id)


def registered_aids() -> dict[str, Path]:
    """The registered aids: id -> file, the YAML files shipped in ``pgo/decisions/aids`` and nothing else."""
    return {path.stem: path for path in AIDS_DIR.glob("*.yaml") if path.is_file()}


def load_aid(aid_id: str) -> DecisionAid:
    """A registered aid by its id (``knee-osteoarthritis``).

    Only ids of ``registered_aids`` (#17, 2026-12-03): an id is never read as a path, so ``README.md`` or
    ``../x`` is not found rather than a file of the working directory parsed as an aid.
    """
    path = registered_aids().get(aid_id)
    if path is None:
        raise AidNotFound(str(aid_id))
    return _load_checked(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load_checked(path: Path, _mtime_ns: int) -> DecisionAid:
    return parse_aid(read_aid_file(path), path=path)


def iter_texts(aid: DecisionAid) -> Iterator[tuple[str, str, str, str]]:
    """Every text a reader may see: (where, language, level, text). Simple variants come with level 'simple'."""
    for where, text in _named_texts(aid):
        for lang in LANGUAGES:
            yield where, lang, "standard", text.get(lang)
            simple = text.simple_en if lang == "en" else text.simple_nl
            if simple:
                yield where, lang, "simple", simple


def _named_texts(aid: DecisionAid) -> Iterator[tuple[str, Text]]:
    yield "title", aid.title
    yield "condition", aid.condition
    yield "decision", aid.decision
    yield "update_policy", aid.update_policy
    yield "evidence_certainty", aid.evidence_certainty
    if aid.waiting_note:
        yield "waiting_note", aid.waiting_note
    for option in aid.options:
        yield f"options.{option.code}.name", option.name
        yield f"options.{option.code}.summary", option.summary
        yield f"options.{option.code}.living_with", option.living_with
        for i, text in enumerate(option.benefits + option.harms):
            yield f"options.{option.code}.features[{i}]", text
    for row in aid.grid:
        yield f"grid.{row.link_id}.question", row.question
        for code, answer in row.answers.items():
            yield f"grid.{row.link_id}.{code}", answer
    for item in aid.considerations:
        yield f"considerations.{item.link_id}", item.text
    for chance in aid.chances:
        yield f"chances.{chance.link_id}.outcome", chance.outcome
        yield f"chances.{chance.link_id}.period", chance.period
    for question in aid.knowledge_check:
        yield f"knowledge.{question.link_id}.question", question.question
        yield f"knowledge.{question.link_id}.explanation", question.explanation
        for choice in question.choices:
            yield f"knowledge.{question.link_id}.{choice.code}", choice.text
