"""Extract, update and compile the nl and en catalogues in one step.

    .venv/bin/python scripts/translations.py            # extract + update + fill en + compile
    .venv/bin/python scripts/translations.py --check    # exit 1 when a Dutch or English message is missing
    .venv/bin/python scripts/translations.py --add nl FILE   # take translations from a YAML mapping
                                                             # (msgid: text) or another .po file, then compile

Message ids are English. The English catalogue gets msgstr = msgid automatically (unless a translator wrote a
different English text); the Dutch catalogue is written by hand. Obsolete entries are dropped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LOCALES = ("nl", "en")
# The line width of every catalogue this script writes: pybabel's own default (76) would reflow the committed files.
WIDTH = "110"
KEYWORDS = ["-k", "_", "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "gettext"]


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract() -> None:
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        *KEYWORDS,
        "--no-location",
        "--sort-output",
        "--omit-header",
        "--width",
        WIDTH,
        "-o",
        str(POT),
        "pgo",
        "templates",
    )
    for locale in LOCALES:
        if po_path(locale).exists():
            pybabel(
                "update",
                "-i",
                str(POT),
                "-d",
                str(TRANSLATIONS),
                "-l",
                locale,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
                "--omit-header",
                "--width",
                WIDTH,
            )
        else:
            pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


def fill_english() -> None:
    path = po_path("en")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if isinstance(message.id, tuple) and not all(message.string or ()):
            message.string = message.id  # singular and plural, as written in the code
        elif message.id and not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=True, sort_output=True, include_previous=False, width=int(WIDTH))


def missing(locale: str) -> list[str]:
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    gaps = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def compile_all() -> None:
    for locale in LOCALES:
        with po_path(locale).open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        with po_path(locale).with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


def add(locale: str, source: Path) -> None:
    """Fill ``locale``'s catalogue from a YAML mapping msgid -> text, or from another .po file."""
    if source.suffix == ".po":
        with source.open("rb") as fh:
            texts = {m.id: m.string for m in read_po(fh, locale=locale) if m.id and m.string}
    else:
        import yaml

        texts = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    path = po_path(locale)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    for message in catalog:
        if message.id in texts:
            had = message.string if isinstance(message.string, tuple) else (message.string,)
            if any(had) and message.string != texts[message.id]:
                # Two translations of one message id: say so, so that a merge never changes wording silently.
                print(f"{locale}: {message.id!r} was {message.string!r}, now {texts[message.id]!r}", file=sys.stderr)
            message.string = texts[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, omit_header=True, sort_output=True, include_previous=False, width=int(WIDTH))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--add"]:
        add(argv[1], Path(argv[2]))
        compile_all()
        return 0
    if "--compile" in argv:
        compile_all()
        return 0
    if "--check" not in argv:
        extract()
        fill_english()
        compile_all()
    gaps = {locale: missing(locale) for locale in LOCALES}
    for locale, ids in gaps.items():
        for msgid in ids:
            print(f"{locale}: missing translation for {msgid!r}")
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
