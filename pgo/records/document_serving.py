"""How an imported document's bytes may be served (#17, 2026-12-03).

An imported file's ``contentType`` is whatever the FHIR file claims: a hostile file can claim ``text/html`` and
carry script that would run under pgo's own origin. So the type is sniffed from the bytes, never taken from the
file, and only PDF and the common image types (which browsers render without running script) open in the
browser; everything else is a download (``application/octet-stream``) with a plain ASCII filename.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Sniffed type -> file extension: the only types served inline.
INLINE_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
DOWNLOAD_TYPE = "application/octet-stream"
# Every document answer: no script, no plugins, no same-origin access, nothing loaded from elsewhere.
DOCUMENT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


@dataclass(frozen=True)
class ServedDocument:
    content_type: str
    disposition: str
    filename: str

    @property
    def content_disposition(self) -> str:
        return f'{self.disposition}; filename="{self.filename}"'


def sniff(data: bytes) -> str | None:
    """The type the bytes really are, if one of ``INLINE_TYPES``; otherwise None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def safe_filename(title: str | None, extension: str) -> str:
    """An ASCII filename without quotes, slashes or control characters, at most 80 characters before the extension."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode("ascii")
    stem = "".join(c for c in ascii_title if c.isalnum() or c in " -_").strip()
    return (stem or "document")[:80].strip() + extension


def serving(data: bytes, title: str | None, *, download: bool) -> ServedDocument:
    """Inline (when asked and the bytes are PDF or an image) with the sniffed type; otherwise an attachment."""
    sniffed = sniff(data)
    if sniffed is None:
        return ServedDocument(DOWNLOAD_TYPE, "attachment", safe_filename(title, ""))
    return ServedDocument(sniffed, "attachment" if download else "inline", safe_filename(title, INLINE_TYPES[sniffed]))
