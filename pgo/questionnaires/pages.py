"""How a questionnaire is cut into screens (#20, 2026-12-03).

Default view: one top-level group per page (loose questions between groups share a page). Simplified view: one
question per screen; the display texts just before a question and the group it is in are shown with it.
Pages are numbered from 1 over the whole questionnaire; a page with nothing enabled is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgo.questionnaires.model import Item, Questionnaire


@dataclass(frozen=True)
class Entry:
    """One item on a page, with how deep it sits (0 = directly on the page)."""

    item: Item
    depth: int


@dataclass(frozen=True)
class Page:
    number: int
    title: str
    entries: tuple[Entry, ...]

    @property
    def link_ids(self) -> list[str]:
        return [entry.item.link_id for entry in self.entries]

    @property
    def questions(self) -> list[Item]:
        return [entry.item for entry in self.entries if entry.item.type not in ("group", "display")]


def _flatten(items: tuple[Item, ...], depth: int) -> list[Entry]:
    found = []
    for item in items:
        found.append(Entry(item, depth))
        found += _flatten(item.items, depth + 1)
    return found


def group_pages(questionnaire: Questionnaire) -> list[Page]:
    pages: list[Page] = []
    loose: list[Entry] = []

    def flush() -> None:
        if loose:
            pages.append(Page(len(pages) + 1, questionnaire.title, tuple(loose)))
            loose.clear()

    for item in questionnaire.items:
        if item.type == "group":
            flush()
            pages.append(Page(len(pages) + 1, item.text or questionnaire.title, tuple(_flatten(item.items, 0))))
        else:
            loose += _flatten((item,), 0)
    flush()
    return pages


def question_pages(questionnaire: Questionnaire) -> list[Page]:
    pages: list[Page] = []
    intro: list[Entry] = []

    def visit(items: tuple[Item, ...], title: str) -> None:
        for item in items:
            if item.type == "display" and (page := _page_asked(pages, item)) is not None:
                pages[page] = Page(pages[page].number, pages[page].title, (*pages[page].entries, Entry(item, 0)))
            elif item.type == "display":
                intro.append(Entry(item, 0))
            elif item.type == "group":
                visit(item.items, item.text or title)
            else:
                entries = (*intro, Entry(item, 0), *(e for e in _flatten(item.items, 1) if e.item.type == "display"))
                pages.append(Page(len(pages) + 1, title, tuple(entries)))
                intro.clear()
                visit(tuple(child for child in item.items if child.type != "display"), title)
        return None

    visit(questionnaire.items, questionnaire.title)
    if intro and pages:  # closing texts go with the last question
        last = pages[-1]
        pages[-1] = Page(last.number, last.title, (*last.entries, *intro))
    elif intro:
        pages.append(Page(1, questionnaire.title, tuple(intro)))
    return pages


def _page_asked(pages: list[Page], item: Item) -> int | None:
    """The index of the page with the question a display text depends on (help shown right after an answer)."""
    if not item.conditions:
        return None
    question = item.conditions[0].question
    return next((index for index, page in enumerate(pages) if question in page.link_ids), None)


def pages_for(questionnaire: Questionnaire, *, simplified: bool) -> list[Page]:
    return question_pages(questionnaire) if simplified else group_pages(questionnaire)


def visible(page: Page, enabled: set[str]) -> bool:
    return any(entry.item.link_id in enabled and entry.item.type != "display" for entry in page.entries) or (
        not page.questions and any(entry.item.link_id in enabled for entry in page.entries)
    )


def next_page(pages: list[Page], after: int, enabled: set[str]) -> int | None:
    return next((page.number for page in pages if page.number > after and visible(page, enabled)), None)


def previous_page(pages: list[Page], before: int, enabled: set[str]) -> int | None:
    return next((page.number for page in reversed(pages) if page.number < before and visible(page, enabled)), None)


def page_of(pages: list[Page], link_id: str) -> int:
    """The page a question is on (1 when it is on none)."""
    return next((page.number for page in pages if link_id in page.link_ids), 1)
