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
