"""Uploaded CSV files between preview and confirmation, kept on the server (never in the client).

Each upload is a small JSON file in a folder the app owns (``<instance>/csv-uploads``), named by the person and a
random id, so one person can never open another's upload. Files older than a day are removed.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

MAX_AGE_SECONDS = 24 * 3600
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Upload:
    upload_id: str
    file_name: str
    text: str


def _path(folder: Path, user_id: int, upload_id: str) -> Path | None:
    if not _UPLOAD_ID.match(upload_id):
        return None
    return folder / f"{int(user_id)}-{upload_id}.json"


def _clean(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for old in folder.glob("*.json"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


def keep_upload(folder: Path, *, user_id: int, text: str, file_name: str) -> str:
    """Keep the file's text for the confirmation step; returns the upload id."""
    folder.mkdir(parents=True, exist_ok=True)
    _clean(folder)
    upload_id = secrets.token_urlsafe(18)
    path = _path(folder, user_id, upload_id)
    assert path is not None
    path.write_text(json.dumps({"file_name": file_name[:200], "text": text}), encoding="utf-8")
    return upload_id


def load_upload(folder: Path, *, user_id: int, upload_id: str) -> Upload | None:
    path = _path(folder, user_id, upload_id)
    if path is None or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Upload(upload_id, data["file_name"], data["text"])
