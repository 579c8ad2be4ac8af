"""Read-aloud on the server: WAV audio from Debian's espeak-ng, cached on disk by a hash of voice and text."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import lxml.html

VOICES = {"nl": "nl", "en": "en"}
MAX_CHARACTERS = 5000
SPEED_WORDS_PER_MINUTE = 150  # a little slower than espeak-ng's default of 175


class ReadAloudError(RuntimeError):
    """espeak-ng is missing or failed."""


def _espeak() -> str:
    found = shutil.which("espeak-ng")
    if not found:
        raise ReadAloudError("espeak-ng is not installed")
    return found


def synthesize(text: str, lang: str, *, cache_dir: Path | None = None, timeout: float = 30) -> bytes:
    """WAV audio of `text` in `lang`. The text goes through stdin, never through a shell; it is cut at
    MAX_CHARACTERS. With `cache_dir`, results are kept there by hash and reused."""
    if lang not in VOICES:
        raise ValueError(f"no voice for language {lang!r}")
    text = " ".join(text.split())[:MAX_CHARACTERS]
    if not text:
        raise ValueError("nothing to read aloud")
    key = hashlib.sha256(f"{lang}\0{SPEED_WORDS_PER_MINUTE}\0{text}".encode()).hexdigest()
    cached = cache_dir / f"{key}.wav" if cache_dir else None
    if cached and cached.exists():
        return cached.read_bytes()
    result = subprocess.run(
        [_espeak(), "-v", VOICES[lang], "-s", str(SPEED_WORDS_PER_MINUTE), "--stdout"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    audio = result.stdout
    if result.returncode != 0 or audio[:4] != b"RIFF":
        raise ReadAloudError(result.stderr.decode("utf-8", "replace")[:200] or "espeak-ng gave no audio")
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(audio)
        os.replace(tmp, cached)
    return audio


def spoken_text(html: str, xpath: str) -> str:
    """The words a page shows in the parts ``xpath`` selects, as read aloud (#18): without buttons, scripts and
    text hidden from everyone; screen-reader text stays (it names things)."""
    root = lxml.html.fromstring(html)
    parts = []
    for part in root.xpath(xpath):
        for hidden in part.xpath(".//button | .//script | .//style | .//*[@hidden] | .//*[@aria-hidden='true']"):
            hidden.drop_tree()
        parts.append(part.text_content())
    return " ".join(" ".join(parts).split())
