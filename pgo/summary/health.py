"""'My health on one page' (issue #21): the essentials a patient takes to a new doctor, the emergency department
or abroad, built from the imported records.

Two wordings: ``patient`` (the plain names of the explanation catalogue, sentences at the person's reading level)
and ``clinical`` (the terms and codes as the care providers recorded them, for a doctor). Every text is made here,
in the language asked for (nl or en, whatever the app's own language), so that the page, the printed copy and a
shared copy say the same; the summary is a plain value that can be stored (``to_dict`` / ``from_dict``).

Kept short on purpose, so that it prints on one or two A4 pages: active problems, current medicines with the dose
in words, allergies, each vaccine once (the newest), the newest result of a few tests (outside the range first).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from pgo.accounts.models import CareTeam, ConsentGrant, User
from pgo.accounts.wording import team_label
from pgo.clock import utcnow
from pgo.i18n import _, current_locale, use_locale
from pgo.levels import known_level
from pgo.literacy import catalogue
from pgo.records import for_summary as records
from pgo.records.dates import display_date
from pgo.records.explanations import catalogue_category
from pgo.records.presenters import present
from pgo.summary.notes import note_of

WORDINGS = ("patient", "clinical")
LANGUAGES = ("nl", "en")
MAX_RESULTS = 8  # tests shown, outside the range first
MAX_VACCINATIONS = 10
MAX_PROBLEMS = 12
RESULTS_LOOKED_AT = 400  # the newest results read to find the newest of each test
CODE_NAMES = {
    "http://snomed.info/sct": "SNOMED CT",
    "http://loinc.org": "LOINC",
    "http://www.whocc.no/atc": "ATC",
    "http://hl7.org/fhir/sid/icd-10-nl": "ICD-10",
    "http://hl7.org/fhir/sid/icd-10": "ICD-10",
    "http://hl7.org/fhir/sid/cvx": "CVX",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RxNorm",
    "urn:oid:2.16.840.1.113883.2.4.4.7": "PRK",
    "urn:oid:2.16.840.1.113883.2.4.4.8": "GPK",
    "urn:oid:2.16.840.1.113883.2.4.4.10": "HPK",
    "urn:oid:2.16.840.1.113883.2.4.4.1": "Z-index",
    "http://hl7.org/fhir/sid/icpc-1-nl": "ICPC",
    "urn:oid:2.16.840.1.113883.2.4.4.31.1": "ICPC",
}


@dataclass(frozen=True)
class SummaryLine:
    """One thing on the summary: its name, what goes with it (dose, value, reaction) and when."""

    title: str
    detail: str = ""
    when: str = ""
    flag: str = ""  # high / low / abnormal (results)
    flag_text: str = ""
    code: str = ""  # "SNOMED CT 38341003" (clinical wording only)


@dataclass(frozen=True)
class SummarySection:
    key: str  # problems, medication, allergies, vaccinations, results, providers, notes
    heading: str
    intro: str
    lines: tuple[SummaryLine, ...]
    empty: str  # what the section says when it has nothing


@dataclass(frozen=True)
class HealthSummary:
    title: str
    lang: str
    wording: str
    level: str
    name_label: str
    name: str
    birth_label: str
    birth_date: str
    made_label: str
    made_on: str
    intro: str
    sections: tuple[SummarySection, ...]
    note_heading: str
    note_intro: str
    note: str
    footer: str
    extra: dict[str, str] = field(default_factory=dict)

    def section(self, key: str) -> SummarySection:
        return next(s for s in self.sections if s.key == key)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HealthSummary:
        sections = tuple(
            SummarySection(**{**s, "lines": tuple(SummaryLine(**line) for line in s["lines"])})
            for s in data["sections"]
        )
        return cls(**{**data, "sections": sections})


def _day(entry) -> str:
    """The record's date at its own precision, without a time of day (a summary has no use for it)."""
    return display_date(entry.effective_text[:10], current_locale()) if entry.effective_text else ""


def _code(codings: list[tuple[str, str, str]]) -> str:
    for system, code, _display in codings:
        if system in CODE_NAMES and code:
            return f"{CODE_NAMES[system]} {code}"
    return ""


def _codings(session: Session, entries: list) -> dict[int, list[tuple[str, str, str]]]:
    return records.codings(session=session, entries=entries)


class _Namer:
    """The name of a record in the chosen wording: the catalogue's plain name, or the recorded term and code."""

    def __init__(self, session: Session, entries: list, wording: str, lang: str) -> None:
        self.codings = _codings(session, entries)
        self.wording, self.lang = wording, lang

    def title(self, entry) -> str:
        recorded = entry.title or _("Untitled record")
        if self.wording == "clinical":
            return recorded
        pairs = [(s, c) for s, c, _d in self.codings.get(entry.id or 0, [])]
        found = catalogue.explain(pairs, catalogue_category(entry), "standard", self.lang)
        return recorded if found.is_fallback else found.title

    def code(self, entry) -> str:
        return _code(self.codings.get(entry.id or 0, [])) if self.wording == "clinical" else ""


def _entries(session: Session, user_id: int, category: str, *, current: bool | None, limit: int) -> list:
    return records.entries(session=session, user_id=user_id, category=category, current=current, limit=limit)


def _once_each(entries: list, limit: int) -> list:
    """The newest record of each code (or title), newest first."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        key = entry.code_key or entry.title.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept[:limit]


def _important_results(session: Session, user_id: int) -> list:
    """The newest result of each lab test or vital sign (not smoking status and the like), outside the range
    first."""
    results = _entries(session, user_id, "result", current=None, limit=RESULTS_LOOKED_AT)
    newest = _once_each([e for e in results if catalogue_category(e) in ("lab", "vital")], 10_000)
    flagged = [e for e in newest if e.flag]
    return flagged + [e for e in newest if not e.flag]


def _allergy_detail(entry) -> str:
    reactions = (entry.details or {}).get("reactions") or []
    words = [str(r) for r in reactions if isinstance(r, str) and r]
    return ", ".join(words[:3])


def _distinct(lines: list[SummaryLine], limit: int) -> list[SummaryLine]:
    """Each name once (two codes can have one plain name: the newest stays), at most ``limit``."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        if line.title.casefold() not in seen:
            seen.add(line.title.casefold())
            kept.append(line)
    return kept[:limit]


@dataclass(frozen=True)
class _Texts:
    """The words of one section in the chosen wording and level."""

    heading: str
    intro: str
    empty: str


def _section_texts(key: str, wording: str, simple: bool) -> _Texts:  # noqa: C901 - one table of texts
    clinical = wording == "clinical"
    if key == "problems":
        if clinical:
            return _Texts(_("Active problems"), "", _("No active problems recorded."))
        intro = _("These are your health problems now.") if simple else _("The health problems you have now.")
        return _Texts(_("My health problems"), intro, _("There is nothing here yet."))
    if key == "medication":
        if clinical:
            return _Texts(_("Current medication"), "", _("No current medication recorded."))
        intro = _("These are the medicines you use now.") if simple else _("The medicines you use now, and how much.")
        return _Texts(_("Medicines I use now"), intro, _("There is nothing here yet."))
    if key == "allergies":
        if clinical:
            return _Texts(_("Allergies and intolerances"), "", _("No known allergies recorded."))
        return _Texts(_("Allergies"), _("You may react badly to these."), _("There is nothing here yet."))
    if key == "vaccinations":
        if clinical:
            return _Texts(_("Immunizations"), "", _("No immunizations recorded."))
        return _Texts(_("Vaccinations"), _("The vaccinations you had."), _("There is nothing here yet."))
    if key == "results":
        if clinical:
            return _Texts(_("Recent results"), "", _("No results recorded."))
        intro = _("The newest result of a few tests.") if simple else _("The newest result of some tests.")
        return _Texts(_("Latest important results"), intro, _("There is nothing here yet."))
    if clinical:
        return _Texts(_("Care providers"), "", _("No care providers recorded."))
    return _Texts(_("My care providers"), _("Your data comes from them."), _("There is nothing here yet."))


def _section(key: str, wording: str, level: str, lines: list[SummaryLine]) -> SummarySection:
    texts = _section_texts(key, wording, level == "simple")
    return SummarySection(key, texts.heading, texts.intro, tuple(lines), texts.empty)


def _providers(session: Session, user_id: int) -> list[SummaryLine]:
    """Where the records came from, and the care teams the person gives access to."""
    sources = records.source_names(session=session, user_id=user_id)
    lines = [SummaryLine(name, _("Records from here are in this summary.")) for name in sources]
    teams = session.execute(
        select(CareTeam.name, CareTeam.kind)
        .join(ConsentGrant, col(ConsentGrant.team_id) == CareTeam.id)
        .where(ConsentGrant.user_id == user_id, col(ConsentGrant.revoked_at).is_(None))
        .distinct()
        .order_by(CareTeam.name)
    )
    lines += [SummaryLine(team_label(name, kind), _("Can see your data in pgo.")) for name, kind in teams]
    return lines


def _birth_date(session: Session, user_id: int) -> str:
    """The birth date when every source that sent one agrees (records of several people are never merged)."""
    found = birth_date_text(session=session, user_id=user_id)
    return display_date(found, current_locale()) if found else ""


def summary_entries(*, session: Session, user_id: int) -> dict[str, list]:
    """The records a summary is made of, per section (the IPS Bundle is made of the same ones)."""
    return {
        "problems": _entries(session, user_id, "problem", current=True, limit=MAX_PROBLEMS),
        "medication": _entries(session, user_id, "medication", current=True, limit=50),
        "allergies": _entries(session, user_id, "allergy", current=True, limit=20),
        "vaccinations": _once_each(_entries(session, user_id, "vaccination", current=None, limit=200), 100),
        "results": _important_results(session, user_id)[: MAX_RESULTS * 2],
    }


def birth_date_text(*, session: Session, user_id: int) -> str:
    """The birth date as recorded (YYYY-MM-DD) when every source that sent one agrees, else ''."""
    found = {when[:10] for _name, when, _details in records.patient_records(session=session, user_id=user_id) if when}
    return found.pop() if len(found) == 1 else ""


def _lines(session: Session, user_id: int, wording: str, lang: str) -> dict[str, list[SummaryLine]]:
    chosen = summary_entries(session=session, user_id=user_id)
    problems, medication, allergies = chosen["problems"], chosen["medication"], chosen["allergies"]
    vaccinations, results = chosen["vaccinations"], chosen["results"]
    name = _Namer(session, [*problems, *medication, *allergies, *vaccinations, *results], wording, lang)

    def line(entry, detail: str = "", **extra: str) -> SummaryLine:
        return SummaryLine(name.title(entry), detail, _day(entry), code=name.code(entry), **extra)

    def result(entry) -> SummaryLine:
        shown = present(entry, {})  # the value as the record pages show it (value display, issue #16)
        detail = shown.value
        if shown.reference_range and wording == "clinical":
            detail = f"{detail} ({_('reference range')}: {shown.reference_range})"
        return line(entry, detail, flag=shown.flag, flag_text=shown.flag_label)

    return {
        "problems": [line(e) for e in problems],
        "medication": [line(e, present(e, {}).dose) for e in medication],
        "allergies": [line(e, _allergy_detail(e)) for e in allergies],
        "vaccinations": _distinct([line(e) for e in vaccinations], MAX_VACCINATIONS),
        "results": _distinct([result(e) for e in results], MAX_RESULTS),
        "providers": _providers(session, user_id),
    }


SECTIONS = ("problems", "medication", "allergies", "vaccinations", "results", "providers")


def _intro(wording: str, level: str) -> str:
    if wording == "clinical":
        return _("Patient summary from the personal health environment pgo. Check it against the source.")
    if level == "simple":
        return _("This is about your health. Show it to your doctor.")
    return _("The most important facts about your health. Take this with you to a doctor.")


def own_sentences(lang: str, level: str) -> list[str]:
    """Every sentence the patient's wording of the summary makes itself (not the records' own words), in ``lang``
    at ``level``: for the readability gate."""
    with use_locale(lang):
        sentences = [_intro("patient", level), _("You wrote this yourself."), _footer()]
        sentences += [_("Records from here are in this summary."), _("Can see your data in pgo.")]
        for key in SECTIONS:
            texts = _section_texts(key, "patient", level == "simple")
            sentences += [texts.intro, texts.empty]
        return sentences


def _footer() -> str:
    return _("Made from the records your care providers sent. Ask your doctor if something is wrong.")


def health_summary(
    *, session: Session, user_id: int, lang: str, wording: str = "patient", level: str = "standard",
    today: date | datetime | None = None,
) -> HealthSummary:  # fmt: skip
    """The person's summary in ``lang`` and ``wording``, its sentences at ``level`` (patient wording)."""
    lang = lang if lang in LANGUAGES else "nl"
    wording = wording if wording in WORDINGS else "patient"
    level = known_level(level)
    person = session.get(User, user_id)
    made = today or utcnow()
    with use_locale(lang):
        lines = _lines(session, user_id, wording, lang)
        sections = tuple(_section(key, wording, level, lines[key]) for key in SECTIONS)
        clinical = wording == "clinical"
        return HealthSummary(
            title=_("Patient summary") if clinical else _("My health on one page"),
            lang=lang,
            wording=wording,
            level=level,
            name_label=_("Name"),
            name=(person.name or person.email) if person else "",
            birth_label=_("Date of birth"),
            birth_date=_birth_date(session, user_id),
            made_label=_("Made on"),
            made_on=display_date(made.isoformat()[:10], lang),
            intro=_intro(wording, level),
            sections=sections,
            note_heading=_("Notes from the patient") if clinical else _("My notes for the doctor"),
            note_intro="" if clinical else _("You wrote this yourself."),
            note=note_of(session=session, user_id=user_id),
            footer=_footer(),
        )
