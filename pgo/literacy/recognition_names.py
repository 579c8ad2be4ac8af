"""Recognition by name (issue #15, 2026-12-03): the data tables of substances, lab tests and problem groups, and
the matcher that finds a known name in a record's text.

The matcher folds a text to lower-case ASCII words ("ACETYLSALICYLZUUR TABLETMSR 100MG" -> acetylsalicylzuur,
tabletmsr, 100mg; "/" and "," separate words too), folds Dutch and international spellings together (one final
"e" dropped: metformine/metformin, omeprazol/omeprazole; "ph" as "f": morfine/morphine; "th" as "t":
permetrine/permethrin; a final "aat" as "at": methotrexaat/methotrexate) and then looks, from the first word on,
for the longest run of words that is a known name (up to four words). The first name found wins: G-Standaard
texts and brand-name texts start with the substance or the brand, and salts and forms ("SUCCINAAT", "TABLET MGA")
are not names, so "METOPROLOL SUCCINAAT TABLET MGA 50MG" is metoprolol. Names are whole words only: no part of a
word, no spelling distance, so a name is never guessed.

A name says the substance; the form in the same text says the route (``ROUTES``): "HYDROCORTISON CREME 1%" is the
skin's hydrocortisone (ATC D07AA02), not the tablet (H02AB09) the name alone gives, "DEXAMETHASON OOGDRUPPELS" the
eye's, "BUDESONIDE CAPSULE MSR" the gut's rather than the inhaler's. The route only chooses among the ATC codes of
the same substance in the table (same international name); without one of the right route, the name's code stays.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pgo.literacy.catalogue import CATALOGUE_DIR

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_WORDS = 4


def _fold_word(word: str) -> str:
    """Dutch and international spellings of a name meet: 'ph' is 'f' (morphine/morfine, phosphate/fosfaat), 'th'
    is 't' in words of five letters or more (permethrin/permetrine), a final 'e' goes (metformine/metformin), and
    a final 'aat' is 'at' (methotrexaat/methotrexate)."""
    word = word.replace("ph", "f")
    if len(word) > 4:  # not in abbreviations: PTH is not PT
        word = word.replace("th", "t")
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word[:-2] + "t" if len(word) > 5 and word.endswith("aat") else word


def words(text: str) -> list[str]:
    """A text as the matcher compares it: lower-case ASCII words, a final 'e' dropped."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [_fold_word(w) for w in _WORD.findall(plain)]


def table_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated table with '#' comment lines and a header line."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ValueError(f"{path.name}: row {number} has {len(cells)} cells, not {len(header)}")
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def _match(names: dict[tuple[str, ...], str], text: str, compounds: tuple[tuple[str, str], ...] = ()) -> str | None:
    """The value of the first known name in the text; with ``compounds`` ((word, value), ...), a word that ends
    in one of those words counts too (the last part of a Dutch compound names what it is)."""
    found = words(text)
    for start in range(len(found)):
        for size in range(min(MAX_WORDS, len(found) - start), 0, -1):
            value = names.get(tuple(found[start : start + size]))
            if value is not None:
                return value
        for tail, value in compounds:
            if found[start].endswith(tail):
                return value
    return None


# The ATC groups of a route, for the dosage forms the G-Standaard writes in a product's name (#15). Checked in
# this order (a mouth gel is not a skin gel); single form words of five letters or more also match as the start of
# a word ("TABLETMSR", "OOGDRUPPELS"), shorter ones only whole.
SKIN = ("D01A", "D02", "D03", "D04", "D05A", "D06", "D07", "D08", "D09", "D10A", "D11", "M02", "C05A")
TOPICAL = (*SKIN, "A01", "S01", "S02", "S03", "R01A", "G01", "R03A", "R03B")
ROUTES: tuple[tuple[tuple[str, ...], tuple[str, ...] | None], ...] = (
    (("orale gel", "mondgel", "oromucosaal", "zuigtablet"), ("A01",)),
    (("oogdruppel", "oogzalf", "ooggel", "oog"), ("S01", "S03")),
    (("oordruppel", "oor"), ("S02", "S03")),
    (("neusspray", "neusdruppel", "neus"), ("R01A",)),
    (("vaginaal", "vaginale", "vaginaalcreme", "vaginaaltablet", "ovule", "vagitorie"), ("G01", "G02", "G03")),
    (("inhalatie", "inhalator", "dosisaerosol", "aerosol", "turbuhaler", "diskus", "easyhaler"), ("R03A", "R03B")),
    (("creme", "zalf", "gel", "lotion", "smeersel", "emulsie", "schuim", "shampoo", "cutaan", "huid"), SKIN),
    (("tablet", "capsule", "drank", "dragee", "granulaat", "kauwtablet", "smelttablet", "bruistablet"), None),
)  # None: by mouth, any route but the topical ones


def _form_matches(form: tuple[str, ...], found: list[str]) -> bool:
    if len(form) > 1:
        return any(tuple(found[i : i + len(form)]) == form for i in range(len(found)))
    return any(word == form[0] or (len(form[0]) >= 5 and word.startswith(form[0])) for word in found)


_ROUTE_FORMS = tuple((tuple(tuple(words(form)) for form in forms), groups) for forms, groups in ROUTES)


def _route(text: str) -> tuple[str, ...] | None | bool:
    """The ATC groups of the route the text's dosage form names; None for "by mouth"; False when no form is named."""
    found = words(text)
    for forms, groups in _ROUTE_FORMS:
        if any(_form_matches(form, found) for form in forms):
            return groups
    return False


def _fits(atc: str, groups: tuple[str, ...] | None) -> bool:
    return not atc.startswith(TOPICAL) if groups is None else atc.startswith(groups)


@dataclass(frozen=True)
class NameTables:
    substances: dict[tuple[str, ...], str]  # name words -> ATC code
    lab_names: dict[tuple[str, ...], str]  # name words -> LOINC code
    nhg45: dict[str, str]  # NHG table 45 code -> LOINC code
    lab_panels: dict[str, str]  # LOINC code -> panel
    icd10_starts: tuple[str, ...]  # sorted range starts of problem-groups.tsv (ICD-10)
    icd10_ranges: tuple[tuple[str, str, str], ...]  # (from, to, group), in the order of icd10_starts
    problem_names: dict[tuple[str, ...], str]  # name words -> body-system group
    problem_tails: tuple[tuple[str, str], ...]  # (word of six letters or more, group): last parts of compounds
    allergens: dict[tuple[str, ...], str]  # name words -> allergen group
    same_substance: dict[str, tuple[str, ...]]  # ATC code -> the ATC codes of the same substance by other routes

    def allergen_group(self, text: str) -> str | None:
        """The allergen group an allergy's name places it in: a named allergen, else any medicine named."""
        if not text:
            return None
        return _match(self.allergens, text) or ("medicine" if _match(self.substances, text) else None)

    def substance(self, text: str) -> str | None:
        """The ATC code of the first substance or brand named in the text, for the route its dosage form names."""
        atc = _match(self.substances, text) if text else None
        if atc is None:
            return None
        groups = _route(text)
        if groups is False or _fits(atc, groups):
            return atc
        return next((other for other in self.same_substance.get(atc, ()) if _fits(other, groups)), atc)

    def lab(self, text: str) -> str | None:
        """The LOINC code of the lab test the text names."""
        return _match(self.lab_names, text) if text else None

    def problem_group(self, text: str) -> str | None:
        """The body-system group a problem's name places it in."""
        return _match(self.problem_names, text, self.problem_tails) if text else None

    def icd10_group(self, code: str) -> str:
        head = code.replace(".", "").upper()[:3]
        index = bisect_right(self.icd10_starts, head) - 1
        if index >= 0:
            start, end, group = self.icd10_ranges[index]
            if start <= head <= end:
                return group
        return ""


def _add(names: dict[tuple[str, ...], str], name: str, value: str, file: str) -> None:
    key = tuple(words(name.replace("/", " ")))
    if not key:
        return
    if len(key) > MAX_WORDS:
        raise ValueError(f"{file}: {name!r} has more than {MAX_WORDS} words")
    if names.get(key, value) != value:
        raise ValueError(f"{file}: {name!r} names both {names[key]} and {value}")
    names[key] = value


def _group_names(path: Path) -> dict[tuple[str, ...], str]:
    """A table of 'group<TAB>name|name|...' rows as name words -> group."""
    names: dict[tuple[str, ...], str] = {}
    for row in table_rows(path):
        for name in row["names"].split("|"):
            if name.strip():
                _add(names, name.strip(), row["group"], path.name)
    return names


def load_tables(folder: Path = CATALOGUE_DIR) -> NameTables:
    substances: dict[tuple[str, ...], str] = {}
    by_name: dict[tuple[str, ...], list[str]] = {}
    for row in table_rows(folder / "substances.tsv"):
        # one substance by several routes: the international name without its "(skin)", "(eye)", ...
        by_name.setdefault(tuple(words(re.sub(r"\(.*?\)", "", row["en"]))), []).append(row["atc"])
        # the English column also names combinations and groups ("... and diuretics"): those are not names
        english = [row["en"]] if "(" not in row["en"] and len(words(row["en"])) <= MAX_WORDS else []
        for name in (row["nl"], *english, *row["brands"].split(",")):
            if name.strip():
                _add(substances, name.strip(), row["atc"], "substances.tsv")
    lab_names: dict[tuple[str, ...], str] = {}
    nhg45: dict[str, str] = {}
    panels: dict[str, str] = {}
    for row in table_rows(folder / "lab-tests.tsv"):
        panels.setdefault(row["loinc"], row["panel"])
        for code in filter(None, row["nhg45"].split(",")):
            nhg45[code.strip()] = row["loinc"]
        for name in row["names"].split("|"):
            if name.strip():
                _add(lab_names, name.strip(), row["loinc"], "lab-tests.tsv")
    ranges = sorted(
        (row["from"], row["to"], row["group"])
        for row in table_rows(folder / "problem-groups.tsv")
        if row["system"] == "icd10"
    )
    problems = _group_names(folder / "problem-names.tsv")
    tails = tuple((key[0], group) for key, group in problems.items() if len(key) == 1 and len(key[0]) >= 6)
    allergens = _group_names(folder / "allergen-names.tsv")
    starts = tuple(r[0] for r in ranges)
    same = {atc: tuple(o for o in codes if o != atc) for codes in by_name.values() if len(codes) > 1 for atc in codes}
    return NameTables(substances, lab_names, nhg45, panels, starts, tuple(ranges), problems, tails, allergens, same)


@cache
def name_tables() -> NameTables:
    return load_tables()
