"""A patient's work on a decision aid: seven steps, each saved on its own and resumable.

Answers live in ``DecisionResponse.answers`` (JSON)::

    {"steps_done": [1, 2], "options_viewed": ["exercise"], "considerations": {"values.x": 4},
     "knowledge": {"knowledge.y": "no"}, "sure": {"sure": true, ...}, "preference": "exercise" | "not-sure",
     "good_questions": ["options", ...], "own_questions": ["..."]}

Form data comes as a mapping of field name to a string or a list of strings (``request.form.to_dict(flat=False)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pgo.clock import utcnow
from pgo.decisions.aid import NOT_SURE, DecisionAid, Text, load_aid
from pgo.decisions.models import DecisionResponse, ResponseStatus
from pgo.i18n import _, _l
from pgo.levels import LEVELS

COMMON_TEXTS = Path(__file__).resolve().parent / "data" / "common.yaml"
MAX_OWN_QUESTIONS = 10
MAX_QUESTION_LENGTH = 500


class Step(IntEnum):
    OPTIONS = 1
    VALUES = 2
    CHANCES = 3
    KNOWLEDGE = 4
    SURE = 5
    PREFERENCE = 6
    QUESTIONS = 7


STEP_TITLES = {
    Step.OPTIONS: _l("The options side by side"),
    Step.VALUES: _l("What matters to me"),
    Step.CHANCES: _l("The chances"),
    Step.KNOWLEDGE: _l("Check what you know"),
    Step.SURE: _l("How sure do you feel?"),
    Step.PREFERENCE: _l("My preferred option"),
    Step.QUESTIONS: _l("My questions for the consultation"),
}


class ResponseNotFound(LookupError):
    """No response with this id belongs to this person."""


@dataclass(frozen=True)
class SharedItem:
    key: str
    text: Text


@cache
def common_texts() -> dict[str, tuple[SharedItem, ...]]:
    """The SURE questions and the '3 goede vragen', from ``data/common.yaml``."""
    with COMMON_TEXTS.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {
        group: tuple(SharedItem(item["key"], Text.parse(item["text"])) for item in data[group])
        for group in ("sure", "good_questions")
    }


SURE_KEYS = ("sure", "understand", "risk_benefit", "encouragement")


@dataclass(frozen=True)
class SureScore:
    """The SURE test: one point per 'yes'. A total of 3 or less means decisional conflict."""

    total: int
    answered: int

    @property
    def complete(self) -> bool:
        return self.answered == len(SURE_KEYS)

    @property
    def conflict(self) -> bool:
        return self.complete and self.total <= 3


def sure_score(answers: Mapping[str, bool]) -> SureScore:
    """Score the four SURE answers (``{"sure": True, "understand": False, ...}``)."""
    given = [answers[key] for key in SURE_KEYS if key in answers]
    return SureScore(total=sum(1 for value in given if value is True), answered=len(given))


@dataclass
class StepResult:
    """What happened to a save: ``errors`` maps a form field to a message; nothing is stored when there are any."""

    response: DecisionResponse
    errors: dict[str, str] = field(default_factory=dict)
    next_step: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _one(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def _many(form: Mapping[str, Any], key: str) -> list[str]:
    value = form.get(key)
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


Parsed = tuple[dict[str, Any], dict[str, str]]


def _parse_options(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    viewed = _many(form, "viewed")
    if any(code not in aid.option_codes for code in viewed):
        return {}, {"viewed": _("Choose one of the options.")}
    return {"options_viewed": viewed}, {}


def _parse_values(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    ratings, errors = {}, {}
    for item in aid.considerations:
        name = f"importance-{item.link_id}"
        value = _one(form, name)
        if value in {"1", "2", "3", "4", "5"}:
            ratings[item.link_id] = int(value)
        else:
            errors[name] = _("Choose how important this is to you, from 1 to 5.")
    return {"considerations": ratings}, errors


def _parse_chances(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    return {}, {}


def _parse_knowledge(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    chosen, errors = {}, {}
    for question in aid.knowledge_check:
        name = f"knowledge-{question.link_id}"
        value = _one(form, name)
        if value in [choice.code for choice in question.choices]:
            chosen[question.link_id] = value
        else:
            errors[name] = _("Choose an answer.")
    return {"knowledge": chosen}, errors


def _parse_sure(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    answers, errors = {}, {}
    for key in SURE_KEYS:
        name = f"sure-{key}"
        value = _one(form, name)
        if value in ("yes", "no"):
            answers[key] = value == "yes"
        else:
            errors[name] = _("Answer yes or no.")
    return {"sure": answers}, errors


def _parse_preference(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    value = _one(form, "preference")
    if value not in (*aid.option_codes, NOT_SURE):
        return {}, {"preference": _("Choose an option, or choose 'not sure yet'.")}
    return {"preference": value}, {}


def _parse_questions(aid: DecisionAid, form: Mapping[str, Any]) -> Parsed:
    keys = [item.key for item in common_texts()["good_questions"]]
    chosen = _many(form, "good-questions")
    errors = {}
    if any(key not in keys for key in chosen):
        errors["good-questions"] = _("Choose from the questions shown.")
    own = [line.strip() for text in _many(form, "own-questions") for line in text.splitlines() if line.strip()]
    if len(own) > MAX_OWN_QUESTIONS:
        errors["own-questions"] = _("Write at most %(n)s questions.", n=MAX_OWN_QUESTIONS)
    elif any(len(question) > MAX_QUESTION_LENGTH for question in own):
        errors["own-questions"] = _("Keep each question under %(n)s characters.", n=MAX_QUESTION_LENGTH)
    return {"good_questions": [key for key in keys if key in chosen], "own_questions": own}, errors


PARSERS: dict[Step, Callable[[DecisionAid, Mapping[str, Any]], Parsed]] = {
    Step.OPTIONS: _parse_options,
    Step.VALUES: _parse_values,
    Step.CHANCES: _parse_chances,
    Step.KNOWLEDGE: _parse_knowledge,
    Step.SURE: _parse_sure,
    Step.PREFERENCE: _parse_preference,
    Step.QUESTIONS: _parse_questions,
}


def owned_response(*, session: Session, response_id: int, user_id: int) -> DecisionResponse:
    response = session.get(DecisionResponse, response_id)
    if response is None or response.user_id != user_id:
        raise ResponseNotFound(response_id)
    return response


def start_or_resume(
    *,
    session: Session,
    user_id: int,
    aid_id: str,
    lang: str | None = None,
    level: str | None = None,
    offer_id: int | None = None,
) -> DecisionResponse:
    """The patient's unfinished response to this aid, or a new one at step 1.

    ``lang`` and ``level`` record what is shown now (None keeps what was recorded before).
    """
    aid = load_aid(aid_id)
    response = _unfinished(session, user_id, aid.id)
    if response is None:
        response = _new_response(session, user_id, aid, offer_id)
    if lang in ("nl", "en"):
        response.language = lang
    if level in LEVELS:
        response.level = level
    if offer_id is not None and response.offer_id is None:
        response.offer_id = offer_id
    session.add(response)
    session.flush()
    return response


def _unfinished(session: Session, user_id: int, aid_id: str) -> DecisionResponse | None:
    query = (
        select(DecisionResponse)
        .where(DecisionResponse.user_id == user_id, DecisionResponse.aid_id == aid_id)
        .where(DecisionResponse.status == ResponseStatus.IN_PROGRESS)
        .order_by(DecisionResponse.id.desc())  # type: ignore[union-attr]
    )
    return session.exec(query).first()


def _new_response(session: Session, user_id: int, aid: DecisionAid, offer_id: int | None) -> DecisionResponse:
    """A new response at step 1; when a parallel start inserted first (unique index, #17), that one."""
    response = DecisionResponse(user_id=user_id, aid_id=aid.id, aid_version=aid.version, offer_id=offer_id)
    response.answers = {"steps_done": []}
    try:
        with session.begin_nested():
            session.add(response)
    except IntegrityError:
        winner = _unfinished(session, user_id, aid.id)
        if winner is None:
            raise
        return winner
    return response


def save_step(
    *,
    session: Session,
    response_id: int,
    user_id: int,
    step: int,
    form_data: Mapping[str, Any],
    lang: str | None = None,
    level: str | None = None,
    advance: bool = True,
) -> StepResult:
    """Check and store one step's answers. On any error nothing is stored and ``errors`` says what to fix.

    ``advance=False`` ("stop and continue later") keeps the person at this step when they come back.
    """
    response = owned_response(session=session, response_id=response_id, user_id=user_id)
    step = Step(step)  # ValueError for a step that does not exist
    if response.status == ResponseStatus.COMPLETED:
        return StepResult(response, {"step": _("You have finished this decision aid. Start it again to change it.")})
    aid = load_aid(response.aid_id)
    values, errors = PARSERS[step](aid, form_data)
    if errors:
        return StepResult(response, errors)
    done = sorted({*response.answers.get("steps_done", []), int(step)})
    response.answers = {**response.answers, **values, "steps_done": done}
    next_step = int(step) + 1 if step < Step.QUESTIONS else None
    response.current_step = (next_step or int(Step.QUESTIONS)) if advance else int(step)
    if lang in ("nl", "en"):
        response.language = lang
    if level in LEVELS:
        response.level = level
    response.updated_at = utcnow()
    session.add(response)
    session.flush()
    return StepResult(response, next_step=next_step)


def complete(*, session: Session, response_id: int, user_id: int) -> StepResult:
    """Mark the response completed once every step is saved; otherwise ``errors`` names the missing steps."""
    response = owned_response(session=session, response_id=response_id, user_id=user_id)
    done = set(response.answers.get("steps_done", []))
    errors = {
        f"step-{int(step)}": _("Finish step %(n)s first: %(title)s.", n=int(step), title=str(STEP_TITLES[step]))
        for step in Step
        if int(step) not in done
    }
    if errors:
        return StepResult(response, errors)
    if response.status != ResponseStatus.COMPLETED:
        response.status = ResponseStatus.COMPLETED
        response.completed_at = response.updated_at = utcnow()
        session.add(response)
        session.flush()
    return StepResult(response)


def response_sure_score(response: DecisionResponse) -> SureScore | None:
    answers = response.answers.get("sure")
    return sure_score(answers) if answers else None
