"""Every message has a Dutch and an English text, and the catalogues are up to date with the code."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import translations  # noqa: E402


def test_no_missing_translations():
    assert translations.missing("nl") == []
    assert translations.missing("en") == []


def test_catalogues_cover_every_message_in_the_code(tmp_path):
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            *translations.KEYWORDS,
            "--no-location",
            "-o",
            str(pot),
            "pgo",
            "templates",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    for locale in ("nl", "en"):
        with translations.po_path(locale).open("rb") as fh:
            in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh, locale=locale) if m.id}
        assert in_code - in_catalogue == set(), f"run scripts/translations.py ({locale} catalogue is stale)"


def test_every_template_that_translates_is_read_by_the_extractor():
    """A template the extractor cannot parse (e.g. a tag of an extension babel.cfg does not name) is skipped
    silently, and its messages would drop out of the catalogues at the next update."""
    from babel.messages.extract import extract_from_file

    options = {}
    section = ROOT.joinpath("babel.cfg").read_text().split("[jinja2: **.html]", 1)[1]
    for line in section.strip().splitlines():
        key, _sep, value = line.partition("=")
        if value:
            options[key.strip()] = value.strip()
    silent = []
    for template in sorted(ROOT.joinpath("templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        if '_("' not in text and "_('" not in text:
            continue
        found = list(extract_from_file("jinja2", str(template), options=options))
        if not found:
            silent.append(str(template.relative_to(ROOT)))
    assert silent == []
