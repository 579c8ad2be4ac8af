"""The check every decision aid must pass: FHIR Questionnaire basics plus the IPDAS qualifying criteria."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pgo.i18n import _

STATUSES = ("draft", "active", "retired")


@dataclass(frozen=True)
class Problem:
    """One missing or wrong part of an aid: ``where`` in the file, ``criterion`` it fails, a readable message."""

    where: str
    criterion: str
    message: str


def _is_text(value: Any) -> bool:
    return isinstance(value, Mapping) and all(str(value.get(lang) or "").strip() for lang in ("nl", "en"))


def _is_list(value: Any, minimum: int = 1) -> bool:
    return isinstance(value, list) and len(value) >= minimum


# Top-level texts each aid must have in Dutch and English: (key, criterion, message).
REQUIRED_TEXTS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("title", "title", lambda: _("Give the aid a title in Dutch and English.")),
    ("condition", "condition", lambda: _("Describe the condition the decision is about (IPDAS: the condition).")),
    ("decision", "decision", lambda: _("State the decision to be made (IPDAS: the decision).")),
    (
        "update_policy",
        "update_policy",
        lambda: _("Say when and how the aid is updated (IPDAS: the update policy)."),
    ),
    (
        "evidence_certainty",
        "evidence_certainty",
        lambda: _("Say how certain the evidence is (IPDAS: the certainty of the evidence)."),
    ),
)

OPTION_PARTS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("benefits", "benefits", lambda: _("List the positive features of this option (IPDAS: benefits).")),
    ("harms", "harms", lambda: _("List the negative features of this option (IPDAS: harms).")),
)


def validate_aid(data: Any) -> list[Problem]:
    """Every problem with an aid's data; an empty list means the aid may be shown."""
    if not isinstance(data, Mapping):
        return [Problem("", "format", _("The aid file must hold a mapping of fields."))]
    problems = list(_basics(data))
    for key, criterion, message in REQUIRED_TEXTS:
        if not _is_text(data.get(key)):
            problems.append(Problem(key, criterion, message()))
    problems += _provenance(data)
    problems += _options(data)
    codes = [o.get("code") for o in data.get("options") or [] if isinstance(o, Mapping)]
    problems += _grid(data, codes)
    problems += _chances(data, codes)
    problems += _items(data)
    problems += _unique_link_ids(data)
    return problems


def _basics(data: Mapping[str, Any]) -> Iterator[Problem]:
    if not str(data.get("id") or "").replace("-", "").isalnum():
        yield Problem("id", "id", _("Give the aid an id of letters, digits and hyphens."))
    if not str(data.get("url") or "").startswith(("http://", "https://")):
        yield Problem("url", "url", _("Give the aid a canonical URL."))
    if not str(data.get("version") or "").strip():
        yield Problem("version", "version", _("Give the aid a version."))
    if data.get("status") not in STATUSES:
        yield Problem("status", "status", _("Set the status to draft, active or retired."))


def _provenance(data: Mapping[str, Any]) -> Iterator[Problem]:
    sources = data.get("sources")
    if not _is_list(sources) or not all(isinstance(s, Mapping) and s.get("title") and s.get("url") for s in sources):
        yield Problem("sources", "sources", _("List the sources, each with a title and a URL (IPDAS: sources)."))
    published = data.get("published")
    if not isinstance(published, date):
        try:
            date.fromisoformat(str(published))
        except ValueError:
            yield Problem(
                "published", "published", _("Give the publication date as YYYY-MM-DD (IPDAS: publication date).")
            )
    if not str(data.get("author") or "").strip():
        yield Problem("author", "author", _("Say who made the aid (IPDAS: the author)."))


def _options(data: Mapping[str, Any]) -> Iterator[Problem]:
    options = data.get("options")
    if not _is_list(options, 2) or not all(isinstance(o, Mapping) for o in options):
        yield Problem("options", "options", _("Offer at least two options (IPDAS: the options)."))
        return
    for i, option in enumerate(options):
        where = f"options[{i}]"
        if not str(option.get("code") or "").replace("-", "").isalnum():
            yield Problem(f"{where}.code", "options", _("Give each option a code."))
        for key in ("name", "summary"):
            if not _is_text(option.get(key)):
                yield Problem(f"{where}.{key}", "options", _("Give each option a name and a summary."))
        for key, criterion, message in OPTION_PARTS:
            items = option.get(key)
            if not _is_list(items) or not all(_is_text(item) for item in items):
                yield Problem(f"{where}.{key}", criterion, message())
        if not _is_text(option.get("living_with")):
            yield Problem(
                f"{where}.living_with",
                "living_with",
                _("Describe what this option is like to live with (IPDAS: living with the option)."),
            )
    if not any(o.get("waiting") for o in options) and not _is_text(data.get("waiting_note")):
        yield Problem(
            "waiting_note",
            "waiting",
            _("Offer doing nothing or waiting as an option, or explain in waiting_note why it is not one."),
        )


def _grid(data: Mapping[str, Any], codes: list[Any]) -> Iterator[Problem]:
    grid = data.get("grid")
    if not _is_list(grid):
        yield Problem("grid", "grid", _("Add frequently asked questions with an answer per option."))
        return
    for i, row in enumerate(grid):
        answers = row.get("answers") if isinstance(row, Mapping) else None
        if not (isinstance(row, Mapping) and _is_text(row.get("question")) and isinstance(answers, Mapping)):
            yield Problem(f"grid[{i}]", "grid", _("Give each question a text and answers."))
        elif set(answers) != set(codes) or not all(_is_text(a) for a in answers.values()):
            yield Problem(f"grid[{i}].answers", "grid", _("Answer each question for every option."))


def _chances(data: Mapping[str, Any], codes: list[Any]) -> Iterator[Problem]:
    chances = data.get("chances")
    if not _is_list(chances):
        yield Problem("chances", "chances", _("Add the chances, as X out of 100 people per option."))
        return
    for i, chance in enumerate(chances):
        where = f"chances[{i}]"
        if not isinstance(chance, Mapping) or not _is_text(chance.get("outcome")) or not _is_text(chance.get("period")):
            yield Problem(where, "chances", _("Describe each outcome and its period in Dutch and English."))
            continue
        if chance.get("denominator") != 100:
            yield Problem(f"{where}.denominator", "chances", _("Use one shared denominator of 100 people."))
        affected = chance.get("affected")
        if not isinstance(affected, Mapping) or set(affected) != set(codes):
            yield Problem(f"{where}.affected", "chances", _("Give a number of people for every option."))
        elif not all(isinstance(n, int) and 0 <= n <= 100 for n in affected.values()):
            yield Problem(f"{where}.affected", "chances", _("Each number must be between 0 and 100."))
        if not str(chance.get("source") or "").strip():
            yield Problem(f"{where}.source", "chances", _("Say where each figure comes from."))


def _items(data: Mapping[str, Any]) -> Iterator[Problem]:
    considerations = data.get("considerations")
    if not _is_list(considerations) or not all(
        isinstance(c, Mapping) and c.get("linkId") and _is_text(c.get("text")) for c in considerations
    ):
        yield Problem("considerations", "considerations", _("List what may matter to the patient."))
    questions = data.get("knowledge_check")
    if not _is_list(questions):
        yield Problem("knowledge_check", "knowledge_check", _("Add a short knowledge check."))
        return
    for i, question in enumerate(questions):
        choices = question.get("choices") if isinstance(question, Mapping) else None
        ok = (
            isinstance(question, Mapping)
            and question.get("linkId")
            and _is_text(question.get("question"))
            and _is_text(question.get("explanation"))
            and _is_list(choices, 2)
            and question.get("correct") in [c.get("code") for c in choices if isinstance(c, Mapping)]
        )
        if not ok:
            yield Problem(
                f"knowledge_check[{i}]",
                "knowledge_check",
                _("Give each check question two or more answers, the right one and an explanation."),
            )


def _unique_link_ids(data: Mapping[str, Any]) -> Iterator[Problem]:
    seen: set[str] = set()
    for key in ("grid", "considerations", "chances", "knowledge_check"):
        for item in data.get(key) or []:
            link_id = item.get("linkId") if isinstance(item, Mapping) else None
            if not link_id:
                yield Problem(key, "linkId", _("Give every item a linkId."))
            elif link_id in seen:
                yield Problem(key, "linkId", _("The linkId %(link_id)s is used twice.", link_id=link_id))
            seen.add(link_id or "")
