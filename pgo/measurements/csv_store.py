"""Uploaded CSV files between preview and confirmation, kept on the server (never in the client).

Each upload is a small JSON file in a folder the app owns (``<instance>/csv-uploads``), named by the person and a
random id, so one person can never open another's upload.

The store is bounded (#17, 2026-12-03; before, every upload stayed a day with no quota): a file is at most
``MAX_UPLOAD_BYTES``, a person keeps at most their ``MAX_PENDING_PER_USER`` newest uploads, the folder holds at
most ``MAX_FOLDER_BYTES`` (oldest first out), files go after ``MAX_AGE_SECONDS``, and a refused upload (nothing
in it can be saved) is discarded as soon as its preview has said why.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

MAX_AGE_SECONDS = 2 * 3600
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 20,000 rows (csv_import.MAX_ROWS) of a meter's export are about 1 MB
MAX_PENDING_PER_USER = 3
MAX_FOLDER_BYTES = 200 * 1024 * 1024
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class UploadTooLarge(ValueError):
    """The file is larger than ``MAX_UPLOAD_BYTES``."""


@dataclass(frozen=True)
class Upload:
    upload_id: str
    file_name: str
    text: str


def _path(folder: Path, user_id: int, upload_id: str) -> Path | None:
    if not _UPLOAD_ID.match(upload_id):
        return None
    return folder / f"{int(user_id)}-{upload_id}.json"


def _by_age(paths) -> list[tuple[float, int, Path]]:
    """(modified, size, path), oldest first; files removed meanwhile (another process cleaning) are left out."""
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        found.append((stat.st_mtime, stat.st_size, path))
    return sorted(found, key=lambda item: (item[0], item[2].name))


def _clean(folder: Path, user_id: int) -> None:
    """Drop expired files, the person's uploads beyond their quota, and the oldest beyond the folder's bound."""
    cutoff = time.time() - MAX_AGE_SECONDS
    files = []
    for modified, size, path in _by_age(folder.glob("*.json")):
        if modified < cutoff:
            path.unlink(missing_ok=True)
        else:
            files.append((modified, size, path))
    own = [path for _m, _s, path in files if path.name.startswith(f"{int(user_id)}-")]
    for path in own[: max(0, len(own) - MAX_PENDING_PER_USER)]:
        path.unlink(missing_ok=True)
    total = sum(size for _m, size, path in files if path.exists())
    for _modified, size, path in files:
        if total <= MAX_FOLDER_BYTES:
            break
        if path.exists():
            path.unlink(missing_ok=True)
            total -= size


def keep_upload(folder: Path, *, user_id: int, text: str, file_name: str) -> str:
    """Keep the file's text for the confirmation step; returns the upload id. Raises ``UploadTooLarge``."""
    data = json.dumps({"file_name": file_name[:200], "text": text})
    if len(data.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(file_name)
    folder.mkdir(parents=True, exist_ok=True)
    upload_id = secrets.token_urlsafe(18)
    path = _path(folder, user_id, upload_id)
    assert path is not None
    path.write_text(data, encoding="utf-8")
    _clean(folder, user_id)
    return upload_id


def discard_upload(folder: Path, *, user_id: int, upload_id: str) -> None:
    """Remove one of this person's uploads (a refused one: nothing in it can be saved)."""
    path = _path(folder, user_id, upload_id)
    if path is not None:
        path.unlink(missing_ok=True)


def load_upload(folder: Path, *, user_id: int, upload_id: str) -> Upload | None:
    path = _path(folder, user_id, upload_id)
    if path is None or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Upload(upload_id, data["file_name"], data["text"])
