"""The texts of the ATC level-3 and level-4 groups (issue #15, 2026-12-03), made from the rows of atc-groups.tsv.

A medicine the catalogue has no entry for still gets a specific text: "a medicine from the group ACE inhibitors;
such a medicine lowers the blood pressure", and the text says honestly that the medicine itself has no text yet.
One sentence pattern for every group, so the readability gate checks the pattern with each group's own words.
An entry written in a YAML file with the same code takes the place of the row (an own text is always better).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pgo.literacy.catalogue import Entry, Source

REVIEWED = date(2026, 12, 3)
FILE = "atc-groups.tsv"

MEDICINE = {
    "nl": {
        "what": "Dit is een medicijn uit de groep {name}. Zo'n medicijn {does}. Over dit middel zelf hebben we nog "
        "geen eigen uitleg.",
        "why": "Uw arts geeft dit middel tegen een klacht, of om die te voorkomen. Waarom u het gebruikt, staat hier "
        "niet.",
        "ask": "Vraag uw arts of apotheek waar dit middel voor is. Vraag ook hoe u het gebruikt en waar u op let.",
        "detailed": "In de ATC-lijst van de WHO heet deze groep {who} ({code}).",
        "simple": {
            "what": "Dit medicijn hoort bij de groep {name}. Het {does}. "
            "Over dit middel zelf hebben we nog geen uitleg.",
            "why": "Uw arts geeft het tegen een klacht. Of om een klacht te voorkomen.",
            "ask": "Vraag uw arts of apotheek waar het voor is. Vraag ook hoe u het gebruikt.",
        },
    },
    "en": {
        "what": "This is a medicine from the group {name}. Such a medicine {does}. We do not yet have a text for "
        "this medicine itself.",
        "why": "Your doctor gives it to treat or prevent a problem. This text does not say why you use it.",
        "ask": "Ask your doctor or pharmacist what this medicine is for. Ask how to use it and what to look out for.",
        "detailed": "In the WHO ATC list this group is called {who} ({code}).",
        "simple": {
            "what": "This medicine is in the group {name}. It {does}. We have no text for this medicine itself yet.",
            "why": "Your doctor gives it for a problem. Or to prevent a problem.",
            "ask": "Ask your doctor or pharmacist what it is for. Ask how to use it.",
        },
    },
}
VACCINE = {
    "nl": {
        "what": "Dit is een vaccin uit de groep {name}. Zo'n vaccin {does}. Over dit vaccin zelf hebben we nog geen "
        "eigen uitleg.",
        "why": "Na de prik maakt uw lijf afweer aan. Zo wordt u minder snel of minder erg ziek.",
        "ask": "Vraag uw arts of de GGD tegen welke ziekte deze prik is. Vraag ook of u nog een prik nodig hebt.",
        "detailed": MEDICINE["nl"]["detailed"],
        "simple": {
            "what": "Dit vaccin hoort bij de groep {name}. Het {does}. Over dit vaccin zelf hebben we nog geen uitleg.",
            "why": "Na de prik maakt uw lijf afweer aan. Zo wordt u minder snel ziek.",
            "ask": "Vraag uw arts of de GGD waar deze prik tegen is.",
        },
    },
    "en": {
        "what": "This is a vaccine from the group {name}. Such a vaccine {does}. We do not yet have a text for this "
        "vaccine itself.",
        "why": "After the shot, your body makes defences. Then you get ill less often or less badly.",
        "ask": "Ask your doctor or the public health service which disease this shot is for. Ask if you need "
        "another shot.",
        "detailed": MEDICINE["en"]["detailed"],
        "simple": {
            "what": "This vaccine is in the group {name}. It {does}. We have no text for this vaccine itself yet.",
            "why": "After the shot, your body makes defences. Then you get ill less often.",
            "ask": "Ask your doctor or the health service what this shot is for.",
        },
    },
}


KEEP_UPPER = frozenset({"ACE", "ADHD", "GORD", "A", "D", "B1", "B6", "B12", "I", "II", "III", "IV"})


def who_name(name: str) -> str:
    """The WHO's name of a group, in sentence case where the index writes it in capitals ("ACE INHIBITORS, PLAIN"
    -> "ACE inhibitors, plain"), keeping abbreviations and vitamin letters."""
    letters = [c for c in name if c.isalpha()]
    if sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return name
    words = [w.lower() if w.isupper() and w.strip(",.()") not in KEEP_UPPER else w for w in name.split(" ")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def _sources(vaccine: bool) -> tuple[Source, ...]:
    from pgo.literacy.catalogue import Source

    first = (
        Source("RIVM - Rijksvaccinatieprogramma", "https://rijksvaccinatieprogramma.nl")
        if vaccine
        else Source("Apotheek.nl - Medicijnen", "https://www.apotheek.nl/medicijnen")
    )
    return (first, Source("WHO Collaborating Centre - ATC/DDD Index", "https://atcddd.fhi.no/atc_ddd_index/"))


def _texts(row: dict[str, str], does: dict[str, str], vaccine: bool) -> dict:
    patterns = VACCINE if vaccine else MEDICINE
    texts: dict = {}
    for lang in ("nl", "en"):
        words = {"name": row[lang], "does": does[lang], "who": who_name(row["who"]), "code": row["atc"]}
        pattern = patterns[lang]
        what = pattern["what"].format(**words)
        texts[lang] = {
            "title": row[lang][:1].upper() + row[lang][1:],
            "what": what,
            "why": pattern["why"],
            "ask": pattern["ask"],
            "detailed": {"what": f"{what} {pattern['detailed'].format(**words)}"},
            "simple": {
                "what": pattern["simple"]["what"].format(**words),
                "why": pattern["simple"]["why"],
                "ask": pattern["simple"]["ask"],
            },
        }
    texts["no_range"] = False
    return texts


def group_entries(folder: Path, taken: set[tuple[str, str]]) -> list[Entry]:
    """The group entries of atc-groups.tsv whose code no written entry has already."""
    from pgo.literacy.catalogue import ATC, CatalogueError, Entry
    from pgo.literacy.recognition_names import table_rows

    path = folder / FILE
    if not path.exists():
        return []
    rows = table_rows(path)
    purposes = {row["atc"]: {"nl": row["nl_for"], "en": row["en_for"]} for row in rows if row["nl_for"]}
    entries = []
    for row in rows:
        code = row["atc"]
        does = purposes.get(code) or purposes.get(code[:4])
        if does is None:
            raise CatalogueError(f"{FILE}: {code} has no purpose, nor has its group {code[:4]}")
        if (ATC, code) in taken:
            continue
        vaccine = code.startswith("J07")
        entries.append(
            Entry(
                id=f"group-atc-{code.lower()}",
                category="vaccination" if vaccine else "medicine",
                codes=((ATC, code),),
                texts=_texts(row, does, vaccine),
                sources=_sources(vaccine),
                reviewed=REVIEWED,
                file=FILE,
                group=True,
            )
        )
    return entries
