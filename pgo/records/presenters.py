"""What a person reads about a record: value, unit, date at its own precision, abnormal in words and a shape.

Presenters are plain frozen dataclasses built from ``RecordEntry`` rows (never from raw FHIR), so list pages do not
load resource bodies. Templates show ``flag_label`` as text with ``flag_shape`` beside it, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pgo.i18n import _, current_locale
from pgo.records import ranges
from pgo.records.dates import display_date
from pgo.records.medication import dose_in_words
from pgo.records.models import RecordEntry
from pgo.records.observations import format_number

FLAG_SHAPES = {"high": "▲", "low": "▼", "abnormal": "◆"}
FLAG_ICONS = {"high": "arrow-up", "low": "arrow-down", "abnormal": "alert"}  # pictograms beside the words


def flag_label(flag: str) -> str:
    if flag == "high":
        return _("Higher than the reference range")
    if flag == "low":
        return _("Lower than the reference range")
    if flag == "abnormal":
        return _("Abnormal result")
    return ""


def range_text(entry: RecordEntry) -> str:
    unit = f" {entry.unit}" if entry.unit else ""
    if entry.ref_low is not None and entry.ref_high is not None:
        return f"{format_number(entry.ref_low)} – {format_number(entry.ref_high)}{unit}"
    if entry.ref_high is not None:
        return _("up to %(high)s", high=format_number(entry.ref_high)) + unit
    if entry.ref_low is not None:
        return _("from %(low)s", low=format_number(entry.ref_low)) + unit
    return entry.ref_text


@dataclass(frozen=True)
class RecordItem:
    id: int
    category: str
    kind: str
    title: str
    when: str
    value: str
    flag: str
    flag_label: str
    flag_shape: str
    reference_range: str
    status: str
    is_current: bool
    dose: str
    sources: tuple[str, ...]
    resource_type: str
    content_type: str = ""
    number: float | None = None  # the value as a number, when it is one (for "higher than last time")
    range_note: str = ""  # why the lab's range is shown but not used (#16)

    @property
    def abnormal(self) -> bool:
        return bool(self.flag)

    @property
    def flag_icon(self) -> str:
        return FLAG_ICONS.get(self.flag, "alert") if self.flag else ""

    @property
    def source_text(self) -> str:
        return _("From: %(sources)s", sources=", ".join(self.sources)) if self.sources else ""


def range_note(problem: str) -> str:
    if problem == ranges.REVERSED:
        return _("This range looks wrong: the lowest value is higher than the highest. Ask what is normal for you.")
    if problem:
        return _("This range does not fit this result. Ask what is normal for you.")
    return ""


def present(entry: RecordEntry, sources: dict[int, list[str]]) -> RecordItem:
    details = entry.details or {}
    decided = ranges.judge_entry(entry) if entry.category == "result" else None
    flag = decided.flag if decided is not None else entry.flag
    value = entry.value_text
    if value and entry.unit:
        value = f"{value} {entry.unit}"
    return RecordItem(
        id=entry.id or 0,
        category=entry.category,
        kind=str(details.get("kind", "")),
        title=entry.title or _("Untitled record"),
        when=display_date(entry.effective_text, current_locale()) if entry.effective_text else _("date unknown"),
        value=value,
        flag=flag,
        flag_label=flag_label(flag),
        flag_shape=FLAG_SHAPES.get(flag, ""),
        reference_range=range_text(entry),
        status=entry.status,
        is_current=entry.is_current,
        dose=dose_in_words(details.get("dose") or []),
        sources=tuple(sources.get(entry.id or 0, [])),
        resource_type=entry.resource_type,
        content_type=str(details.get("content_type", "")),
        number=entry.value_num,
        range_note=range_note(decided.range_problem) if decided is not None else "",
    )


def change_words(newer: float | None, older: float | None) -> str:
    """'Higher than last time', 'Lower than last time' or 'About the same', for two numeric results."""
    if newer is None or older is None:
        return ""
    if abs(newer - older) <= 0.05 * max(abs(older), 1e-9):
        return _("About the same as last time")
    return _("Higher than last time") if newer > older else _("Lower than last time")


@dataclass(frozen=True)
class TrendRow:
    """One line of a test's table: a result and how it compares with the one before it ('' for the first)."""

    item: RecordItem
    change: str


@dataclass(frozen=True)
class ResultGroup:
    """One test: its newest result and the earlier ones (newest first) for a trend."""

    title: str
    code_key: str
    latest: RecordItem
    previous: tuple[RecordItem, ...]

    @property
    def reference_range(self) -> str:
        return self.latest.reference_range

    @property
    def trend(self) -> tuple[str, ...]:
        return tuple(item.value for item in (self.latest, *self.previous))

    @property
    def rows(self) -> tuple[TrendRow, ...]:
        """Newest first, each compared with the result before it (here rather than in the template: a results
        page has twenty of these tables)."""
        items = (self.latest, *self.previous)
        return tuple(
            TrendRow(item, change_words(item.number, older.number) if older is not None else "")
            for item, older in zip(items, (*items[1:], None), strict=True)
        )


@dataclass(frozen=True)
class Page:
    items: tuple
    page: int
    pages: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class Overview:
    recent_results: tuple[RecordItem, ...]
    abnormal_results: tuple[RecordItem, ...]
    current_medication: tuple[RecordItem, ...]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MedicationOverview:
    current: tuple[RecordItem, ...]
    stopped: Page
