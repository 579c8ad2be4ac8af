"""What a person reads about a record: value, unit, date at its own precision, abnormal in words and a shape.

Presenters are plain frozen dataclasses built from ``RecordEntry`` rows (never from raw FHIR), so list pages do not
load resource bodies. Templates show ``flag_label`` as text with ``flag_shape`` beside it, never colour alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pgo import quantities
from pgo.hyphenation import soft_hyphens
from pgo.i18n import _, current_locale
from pgo.records import answers, medicines, ranges, titles
from pgo.records.dates import display_date
from pgo.records.dosage import dose_in_words
from pgo.records.models import RecordEntry


class FileName(str):
    """The name of an imported file: shown only under "all details", never as where a record came from (#16)."""

    __slots__ = ()


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


def range_text(entry: RecordEntry, lang: str | None = None) -> str:
    """The lab's range as a person reads it ("3,5 – 5 mmol/l", "tot 5 mmol/l"), numbers at the range's own
    precision and the unit as people write it (#16); the lab's text when it gave no numbers."""
    lang = lang or current_locale()
    details = entry.details or {}
    unit = quantities.unit_text(details.get("range_unit") or entry.unit, lang)
    unit = f" {unit}" if unit else ""
    limits = [limit for limit in (entry.ref_low, entry.ref_high) if limit is not None]
    places = max((quantities.own_decimals(limit) for limit in limits), default=0)

    def shown(limit: float) -> str:
        return quantities.number_text(limit, lang, decimals=places)

    if entry.ref_low is not None and entry.ref_high is not None:
        return f"{shown(entry.ref_low)} – {shown(entry.ref_high)}{unit}"
    if entry.ref_high is not None:
        return _("up to %(high)s", high=shown(entry.ref_high)) + unit
    if entry.ref_low is not None:
        return _("from %(low)s", low=shown(entry.ref_low)) + unit
    return entry.ref_text


def value_text(entry: RecordEntry, lang: str | None = None) -> str:
    """The value with its unit as a person reads it: "4,2 mmol/l", "< 5 mmol/l", "120/80 mmHg", "7,4" (pH)."""
    lang = lang or current_locale()
    details = entry.details or {}
    pressure = details.get("blood_pressure") or {}
    if pressure.get("systolic") is not None and pressure.get("diastolic") is not None:
        unit = quantities.unit_text(entry.unit, lang)
        numbers = "/".join(quantities.number_text(pressure[k], lang) for k in ("systolic", "diastolic"))
        return f"{numbers} {unit}".strip()
    if entry.value_num is not None:
        limits = (entry.ref_low, entry.ref_high)
        return quantities.quantity_text(entry.value_num, entry.unit, lang, limits=limits, comparator=entry.comparator)
    unit = quantities.unit_text(entry.unit, lang)
    if entry.value_text and not unit and (moment := _moment_text(entry.value_text, lang)):
        return moment
    if entry.value_text and unit:
        return f"{entry.value_text} {unit}"
    return answers.answer_text(entry.value_text, details.get("answer"), lang)


_TIME = re.compile(r"^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$")
_DATE_TIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$")


def _moment_text(text: str, lang: str) -> str:
    """A time or date value as people read it: "17:29" (no seconds), "3 april 2019, 14:05", "maart 2019" (#16)."""
    text = text.strip()
    if match := _TIME.match(text):
        return f"{match.group(1)}:{match.group(2)}"
    if _DATE_TIME.match(text):
        return display_date(text, lang)
    return ""


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
    medicine_state: str = ""  # current, starts, paused, stopped: of the whole treatment (pgo.records.medicines)
    starts_on: str = ""  # the date a medicine that has not started yet starts
    history: tuple[tuple[str, str], ...] = ()  # the treatment's other rows: (what it is, when)
    files: tuple[str, ...] = ()  # the files it was imported from: for "all details" only
    title_lang: str = ""  # the language the title is in, for its lang attribute and hyphenation (#16)

    @property
    def title_text(self) -> str:
        """The title with soft hyphens in its long words, by its language (#16); medicine names stay whole."""
        if self.category == "medication" or not self.title_lang:
            return self.title
        return soft_hyphens(self.title, self.title_lang)

    @property
    def medicine_status(self) -> str:
        if self.medicine_state == "starts":
            return _("Starts on %(date)s", date=self.starts_on)
        if self.medicine_state == "paused":
            return _("Paused")
        if self.medicine_state == "stopped" or (not self.medicine_state and not self.is_current):
            return _("Stopped")
        return _("You use this now")

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


def named_sources(entry: RecordEntry, names: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(where it came from by name, the files it was imported from): the organisation in the record, the provider
    connections; a file's name only when nothing names the source (#16)."""
    files = tuple(name for name in names if isinstance(name, FileName))
    organisation = str((entry.details or {}).get("organisation") or "")
    named = [organisation] if organisation else []
    named += [name for name in names if not isinstance(name, FileName)]
    shown = tuple(dict.fromkeys(named))
    return (shown or ((_("a file you added"),) if files else ())), files


def present(entry: RecordEntry, sources: dict[int, list[str]]) -> RecordItem:
    details = entry.details or {}
    shown_sources, files = named_sources(entry, sources.get(entry.id or 0, []))
    decided = ranges.judge_entry(entry) if entry.category == "result" else None
    flag = decided.flag if decided is not None else entry.flag
    return RecordItem(
        id=entry.id or 0,
        category=entry.category,
        kind=str(details.get("kind", "")),
        title=titles.record_title(entry.title, entry.code_key, entry.category, current_locale())
        or _("Untitled record"),
        title_lang=titles.title_language(entry.title, entry.code_key, entry.category, current_locale()),
        when=display_date(entry.effective_text, current_locale()) if entry.effective_text else _("date unknown"),
        value=value_text(entry),
        flag=flag,
        flag_label=flag_label(flag),
        flag_shape=FLAG_SHAPES.get(flag, ""),
        reference_range=range_text(entry),
        status=entry.status,
        is_current=entry.is_current,
        dose=dose_in_words(details.get("dose") or [], current_locale(), product=entry.title),
        sources=shown_sources,
        files=files,
        resource_type=entry.resource_type,
        content_type=str(details.get("content_type", "")),
        number=entry.value_num,
        range_note=range_note(decided.range_problem) if decided is not None else "",
    )


def block_words(kind: str) -> str:
    """The MedMij building block in words."""
    return {
        "agreement": _("Medication agreement"),
        "administration_agreement": _("Administration agreement"),
        "use": _("Medication use"),
        "dispense": _("Dispensed by the pharmacy"),
        "administration": _("Administration"),
    }.get(kind, _("Medication record"))


def present_medicine(medicine: medicines.Medicine, sources: dict[int, list[str]]) -> RecordItem:
    """One medicine (#16): the row that speaks for the treatment, its state and the other rows as its history."""
    item = present(medicine.main, sources)
    lang = current_locale()
    history = tuple(
        (
            block_words(str((e.details or {}).get("kind", ""))),
            display_date(e.effective_text, lang) if e.effective_text else "",
        )
        for e in medicine.others
    )
    starts = display_date(medicine.starts.date().isoformat(), lang) if medicine.starts else ""
    rows = (medicine.main, *medicine.others)
    named = [named_sources(e, sources.get(e.id or 0, [])) for e in rows]
    found = tuple(dict.fromkeys(name for shown, _files in named for name in shown))
    if len(found) > 1:
        found = tuple(name for name in found if name != _("a file you added")) or found
    return replace(
        item,
        is_current=medicine.state != medicines.STOPPED,
        medicine_state=medicine.state,
        starts_on=starts,
        history=history,
        sources=found,
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
