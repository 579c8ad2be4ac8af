"""What the questionnaire pages show (#20, 2026-12-03): a page of questions with their controls, saved or typed
values and errors; the summary before finishing; the to-do list. No Flask: views pass in what they know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pgo.i18n import _
from pgo.questionnaires.enable import enabled_items
from pgo.questionnaires.model import Answer, Answers, Item, Questionnaire, answer_value
from pgo.questionnaires.models import OfferStatus, QuestionnaireOffer
from pgo.questionnaires.pages import Page, page_of, pages_for, visible

TYPED_CONTROLS = {
    "integer": "number",
    "decimal": "decimal",
    "date": "date",
    "dateTime": "date",
    "string": "text",
    "text": "textarea",
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class QuestionView:
    """One entry of a page: ``kind`` is question, display, heading or unsupported."""

    kind: str
    link_id: str
    field: str
    text: str
    prefix: str = ""
    control: str = ""  # radios, checkboxes, yes-no, number, decimal, date, text, textarea
    required: bool = False
    repeats: bool = False
    choices: list[Choice] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    other: str = ""  # open-choice free text
    allows_other: bool = False
    max_length: int | None = None
    error: str | None = None
    depth: int = 0
    new: bool = False  # switched on by the last answers: the patient has not seen it yet
    # The display texts right before a question are read aloud with it (one "read aloud" for both).
    intro: list[QuestionView] = field(default_factory=list)
    introduces: bool = False  # a display text read aloud with the question after it

    @property
    def speak_items(self) -> list[str]:
        return [view.link_id for view in self.intro] + [self.link_id]

    @property
    def speak_selector(self) -> str:
        """What the browser's voice reads: the intro texts, the question and (for a choice) its answers."""
        own = (
            f"label[for='{self.field}'] .speak" if self.control in TYPED_CONTROLS.values() else f"#{self.field} .speak"
        )
        return ", ".join([*(f"#{view.field} .speak" for view in self.intro), own])

    @property
    def speech(self) -> str:
        """What read-aloud says: the question and the answers to choose from."""
        parts = [f"{self.prefix} {self.text}".strip()]
        if self.choices:
            parts.append(_("The answers are:") + " " + "; ".join(choice.label for choice in self.choices) + ".")
        return " ".join(parts)


def display_answer(answer: Answer) -> str:
    """An answer as words for the summary."""
    key, value = answer_value(answer)
    if key == "valueBoolean":
        return _("Yes") if value else _("No")
    if key == "valueCoding":
        return value.get("display") or value.get("code") or ""
    if key in ("valueDate", "valueDateTime"):
        parts = str(value)[:10].split("-")
        return "-".join(reversed(parts)) if len(parts) == 3 else str(value)
    if key == "valueDecimal":
        return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
    return str(value)


def _typed_value(answer: Answer) -> str:
    key, value = answer_value(answer)
    if key == "valueDecimal":
        return display_answer(answer)
    if key in ("valueDate", "valueDateTime"):
        return str(value)[:10]
    return str(value)


def _form_values(form: Mapping[str, Any], name: str) -> list[str]:
    value = form.get(name, [])
    return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]


def question_view(item: Item, given: list[Answer], form: Mapping[str, Any] | None, error: str | None) -> QuestionView:
    view = QuestionView(
        kind="question",
        link_id=item.link_id,
        field=item.field,
        text=item.text,
        prefix=item.prefix,
        required=item.required,
        repeats=item.repeats,
        max_length=item.max_length,
        error=error,
    )
    if not item.supported:
        view.kind = "unsupported"
        return view
    if item.type == "boolean":
        view.control = "yes-no"
        chosen = _form_values(form, item.field) if form is not None else [
            "true" if answer_value(a)[1] else "false" for a in given
        ]  # fmt: skip
        view.choices = [Choice("true", _("Yes"), "true" in chosen), Choice("false", _("No"), "false" in chosen)]
    elif item.type in ("choice", "open-choice"):
        view.control = "checkboxes" if item.repeats else "radios"
        if form is not None:
            chosen = set(_form_values(form, item.field))
            view.other = (_form_values(form, f"{item.field}-other") or [""])[0]
        else:
            chosen = {str(n) for n, o in enumerate(item.options, 1) if any(o.matches(a) for a in given)}
            listed = [a for a in given if not any(o.matches(a) for o in item.options)]
            view.other = _typed_value(listed[0]) if listed else ""
        view.choices = [Choice(str(n), o.label, str(n) in chosen) for n, o in enumerate(item.options, 1)]
        view.allows_other = item.type == "open-choice"
    else:
        view.control = TYPED_CONTROLS[item.type]
        view.values = _form_values(form, item.field) if form is not None else [_typed_value(a) for a in given]
        if item.repeats:
            view.values = [*view.values, *[""] * max(0, 3 - len(view.values))]
    return view


@dataclass
class PageView:
    number: int
    title: str
    position: int  # this page among the visible ones, from 1
    total: int
    entries: list[QuestionView]
    previous: int | None
    is_last: bool
    link_ids: list[str]


def page_view(
    questionnaire: Questionnaire,
    page: Page,
    pages: list[Page],
    answers: Answers,
    *,
    form: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    new: tuple[str, ...] = (),
) -> PageView:
    """The page as the patient sees it: enabled items only, judged on the saved answers and what was typed."""
    from pgo.questionnaires.answers import check_answers, merge

    if form is not None:  # a re-shown page: what the typed answers switch on counts too
        typed = check_answers(questionnaire, [e.item for e in page.entries], form, saved=answers, require=False)
        answers = merge(answers, typed.answers, page.link_ids)
    enabled = enabled_items(questionnaire, answers)
    entries = []
    for entry in page.entries:
        item = entry.item
        if item.link_id not in enabled:
            continue
        if item.type == "display":
            entries.append(QuestionView("display", item.link_id, item.field, item.text, depth=entry.depth))
        elif item.type == "group":
            entries.append(QuestionView("heading", item.link_id, item.field, item.text, depth=entry.depth))
        else:
            view = question_view(item, answers.get(item.link_id, []), form, (errors or {}).get(item.field))
            view.depth, view.new = entry.depth, item.link_id in new
            entries.append(view)
    _link_intros(entries)
    shown = [p for p in pages if visible(p, enabled)]
    numbers = [p.number for p in shown]
    position = numbers.index(page.number) + 1 if page.number in numbers else 1
    return PageView(
        number=page.number,
        title=page.title,
        position=position,
        total=len(shown),
        entries=entries,
        previous=numbers[position - 2] if position > 1 else None,
        is_last=position >= len(shown),
        link_ids=page.link_ids,
    )


def _link_intros(entries: list[QuestionView]) -> None:
    pending: list[QuestionView] = []
    for view in entries:
        if view.kind == "display":
            pending.append(view)
        elif view.kind == "question":
            view.intro, pending = pending, []
            for intro in view.intro:
                intro.introduces = True
        else:
            pending = []


@dataclass(frozen=True)
class SummaryLine:
    text: str
    answers: tuple[str, ...]
    page: int
    field: str
    kind: str  # answered, empty, missing (required), unsupported


def summary_lines(questionnaire: Questionnaire, answers: Answers, *, simplified: bool) -> list[SummaryLine]:
    """Every enabled question in order with the answer given (or what is missing), and the page to change it."""
    pages = pages_for(questionnaire, simplified=simplified)
    enabled = enabled_items(questionnaire, answers)
    lines = []
    for item in questionnaire.walk():
        if item.link_id not in enabled or item.type in ("group", "display") or item.read_only:
            continue
        given = tuple(display_answer(a) for a in answers.get(item.link_id, []))
        if not item.supported:
            kind = "unsupported"
        elif given:
            kind = "answered"
        else:
            kind = "missing" if item.required else "empty"
        text = f"{item.prefix} {item.text}".strip()
        lines.append(SummaryLine(text, given, page_of(pages, item.link_id), item.field, kind))
    return lines


@dataclass(frozen=True)
class OfferEntry:
    id: int
    title: str
    asked_by: str
    status: str
    status_text: str
    started: bool


def status_text(offer: QuestionnaireOffer) -> str:
    if offer.status == OfferStatus.OPEN:
        return _("Not started yet")
    if offer.status == OfferStatus.IN_PROGRESS:
        return _("Started. Your answers so far are saved.")
    if offer.status == OfferStatus.READY_TO_SEND:
        return _("Finished. Ready to send to %(name)s.", name=offer.source_name or offer.source)
    if offer.status == OfferStatus.SENT:
        return _("Finished and sent to %(name)s.", name=offer.source_name or offer.source)
    return _("Finished. Your answers are kept in pgo.")


def offer_entry(offer: QuestionnaireOffer, title: str) -> OfferEntry:
    asked_by = offer.source_name if offer.source != "pgo" else ""
    return OfferEntry(
        offer.id, title, asked_by, str(offer.status), status_text(offer), offer.status != OfferStatus.OPEN
    )
