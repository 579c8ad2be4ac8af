"""What a person reads on each step of a decision aid: small objects for the templates, no FHIR, no Flask."""

from __future__ import annotations

from dataclasses import dataclass

from pgo.decisions.aid import NOT_SURE, DecisionAid
from pgo.decisions.models import DecisionResponse
from pgo.decisions.steps import STEP_TITLES, Step, common_texts, response_sure_score
from pgo.i18n import _, use_locale


def chance_sentence(count: int, denominator: int, outcome: str, lang: str) -> str:
    """'68 out of 100 people have clearly less pain after one year' in the reader's language."""
    with use_locale(lang):
        return _("%(count)s out of %(total)s people %(outcome)s", count=count, total=denominator, outcome=outcome)


@dataclass(frozen=True)
class GridRowView:
    question: str
    cells: tuple[str, ...]  # one answer per option, in the order of ``OptionGrid.columns``


@dataclass(frozen=True)
class OptionGrid:
    """Step 1: frequently asked questions as rows, options as columns."""

    title: str
    decision: str
    columns: tuple[str, ...]
    codes: tuple[str, ...]
    rows: tuple[GridRowView, ...]
    waiting_note: str | None


@dataclass(frozen=True)
class OptionCard:
    """Step 1 in the simplified view: one option at a time."""

    code: str
    name: str
    summary: str
    answers: tuple[tuple[str, str], ...]  # (question, answer)
    benefits: tuple[str, ...]
    harms: tuple[str, ...]
    living_with: str
    position: int
    total: int
    previous_code: str | None
    next_code: str | None


@dataclass(frozen=True)
class ValueItem:
    field: str
    text: str
    importance: int | None


@dataclass(frozen=True)
class ChanceRow:
    option: str
    count: int
    sentence: str
    icons: tuple[bool, ...]  # one per person of the shared denominator; True = affected (drawn first)


@dataclass(frozen=True)
class ChanceView:
    outcome: str
    period: str
    denominator: int
    rows: tuple[ChanceRow, ...]


@dataclass(frozen=True)
class KnowledgeView:
    field: str
    question: str
    choices: tuple[tuple[str, str], ...]
    chosen: str | None
    correct: bool | None  # None until answered
    explanation: str | None  # shown once answered


@dataclass(frozen=True)
class ChoiceItem:
    field: str
    text: str
    value: object


@dataclass(frozen=True)
class StepPage:
    """Everything one step shows. ``content`` is the step's own presenter(s)."""

    number: int
    title: str
    total_steps: int
    content: object


def option_grid(aid: DecisionAid, lang: str, level: str) -> OptionGrid:
    return OptionGrid(
        title=aid.title.get(lang, level),
        decision=aid.decision.get(lang, level),
        columns=tuple(o.name.get(lang, level) for o in aid.options),
        codes=aid.option_codes,
        rows=tuple(
            GridRowView(row.question.get(lang, level), tuple(row.answers[c].get(lang, level) for c in aid.option_codes))
            for row in aid.grid
        ),
        waiting_note=aid.waiting_note.get(lang, level) if aid.waiting_note else None,
    )


def option_card(aid: DecisionAid, code: str | None, lang: str, level: str) -> OptionCard:
    """One option; an unknown or missing code shows the first."""
    codes = aid.option_codes
    index = codes.index(code) if code in codes else 0
    option = aid.options[index]
    return OptionCard(
        code=option.code,
        name=option.name.get(lang, level),
        summary=option.summary.get(lang, level),
        answers=tuple((row.question.get(lang, level), row.answers[option.code].get(lang, level)) for row in aid.grid),
        benefits=tuple(t.get(lang, level) for t in option.benefits),
        harms=tuple(t.get(lang, level) for t in option.harms),
        living_with=option.living_with.get(lang, level),
        position=index + 1,
        total=len(codes),
        previous_code=codes[index - 1] if index > 0 else None,
        next_code=codes[index + 1] if index + 1 < len(codes) else None,
    )


def chances(aid: DecisionAid, lang: str, level: str) -> tuple[ChanceView, ...]:
    views = []
    for chance in aid.chances:
        outcome = chance.outcome.get(lang, level)
        rows = tuple(
            ChanceRow(
                option=o.name.get(lang, level),
                count=chance.affected[o.code],
                sentence=chance_sentence(chance.affected[o.code], chance.denominator, outcome, lang),
                icons=tuple(i < chance.affected[o.code] for i in range(chance.denominator)),
            )
            for o in aid.options
        )
        views.append(ChanceView(outcome, chance.period.get(lang, level), chance.denominator, rows))
    return tuple(views)


def knowledge(aid: DecisionAid, answers: dict, lang: str, level: str) -> tuple[KnowledgeView, ...]:
    chosen = answers.get("knowledge") or {}
    return tuple(
        KnowledgeView(
            field=f"knowledge-{q.link_id}",
            question=q.question.get(lang, level),
            choices=tuple((c.code, c.text.get(lang, level)) for c in q.choices),
            chosen=chosen.get(q.link_id),
            correct=None if q.link_id not in chosen else chosen[q.link_id] == q.correct,
            explanation=q.explanation.get(lang, level) if q.link_id in chosen else None,
        )
        for q in aid.knowledge_check
    )


def _values(aid: DecisionAid, answers: dict, lang: str, level: str) -> tuple[ValueItem, ...]:
    ratings = answers.get("considerations") or {}
    return tuple(
        ValueItem(f"importance-{c.link_id}", c.text.get(lang, level), ratings.get(c.link_id))
        for c in aid.considerations
    )


def _sure(answers: dict, lang: str, level: str) -> tuple[ChoiceItem, ...]:
    given = answers.get("sure") or {}
    return tuple(
        ChoiceItem(f"sure-{item.key}", item.text.get(lang, level), given.get(item.key))
        for item in common_texts()["sure"]
    )


def preference_choices(aid: DecisionAid, lang: str, level: str) -> tuple[tuple[str, str], ...]:
    with use_locale(lang):
        not_sure = _("Not sure yet")
    return (*((o.code, o.name.get(lang, level)) for o in aid.options), (NOT_SURE, not_sure))


def _questions(answers: dict, lang: str) -> tuple[tuple[ChoiceItem, ...], str]:
    chosen = answers.get("good_questions")
    items = tuple(
        ChoiceItem("good-questions", item.text.get(lang), chosen is None or item.key in chosen)
        for item in common_texts()["good_questions"]
    )
    return items, "\n".join(answers.get("own_questions") or [])


def step_page(
    *, aid: DecisionAid, response: DecisionResponse, step: int, lang: str, level: str, option: str | None = None
) -> StepPage:
    """The presenter for one step. In the simplified view step 1 shows one option at a time (``option``)."""
    step = Step(step)
    answers = response.answers
    content: object
    if step == Step.OPTIONS:
        content = option_card(aid, option, lang, level) if level == "simple" else option_grid(aid, lang, level)
    elif step == Step.VALUES:
        content = _values(aid, answers, lang, level)
    elif step == Step.CHANCES:
        content = chances(aid, lang, level)
    elif step == Step.KNOWLEDGE:
        content = knowledge(aid, answers, lang, level)
    elif step == Step.SURE:
        content = (_sure(answers, lang, level), response_sure_score(response))
    elif step == Step.PREFERENCE:
        content = (preference_choices(aid, lang, level), answers.get("preference"))
    else:
        content = _questions(answers, lang)
    with use_locale(lang):
        title = str(STEP_TITLES[step])
    return StepPage(number=int(step), title=title, total_steps=len(Step), content=content)
