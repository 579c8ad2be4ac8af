"""gzip for text answers (pages, partials, CSS, JavaScript, SVG, JSON) when the browser accepts it.

A first visit is mostly text: htmx alone is 52 KB raw and 17 KB gzip. Static files are compressed once per file
version and kept; pages are compressed per answer (level 6 takes about half a millisecond for a 50 KB page). A
part of a page that is kept rendered (``pgo.web.fragments``) is kept compressed too: the answer compresses only
what lies around it and copies the kept part's deflate data in between (``gzip_with_parts``), so a repeated view
of a record page compresses its frame (a few KB, with the request's CSRF token), not the whole page. A compressed
answer carries a weak ETag (the same tag, marked weak) so conditional requests still get 304.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Iterable

from flask import Flask, Response, g, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "application/manifest+json",
    }
)
MINIMUM_BYTES = 512  # below this, gzip's own header and the extra header cost more than they save
LEVEL = 6


def accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def should_compress(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype in COMPRESSIBLE
        and "Content-Encoding" not in response.headers
        and (response.direct_passthrough or not response.is_streamed)  # a file is fine, a generator is not
        and accepts_gzip()
    )


_static_packed: dict[tuple[str, str], bytes] = {}


def _static_gzip(path: str, etag: str, body: bytes) -> bytes:
    """A static file compressed once per version (its ETag changes with the file)."""
    key = (path, etag)
    if (packed := _static_packed.get(key)) is None:
        if len(_static_packed) >= 256:
            _static_packed.clear()
        packed = _static_packed[key] = gzip.compress(body, compresslevel=9, mtime=0)
    return packed


# gzip's member header as gzip.compress(..., mtime=0) writes it at level 6: deflate, no name, no time, unknown OS
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
RAW_DEFLATE = -zlib.MAX_WBITS  # deflate data without zlib's or gzip's header and trailer


def deflate_part(data: bytes, level: int = LEVEL) -> bytes:
    """``data`` as a self-contained piece of a deflate stream: it refers to nothing before it and ends on a byte
    boundary without a final block (a sync flush), so it can be copied into any deflate stream at a point where
    that stream's compressor forgot what came before (a full flush), as ``gzip_with_parts`` does."""
    packer = zlib.compressobj(level, zlib.DEFLATED, RAW_DEFLATE)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


def gzip_with_parts(body: bytes, parts: Iterable[tuple[bytes, bytes]] = ()) -> bytes:
    """``body`` as one gzip member. Each (data, packed) of ``parts`` whose ``data`` occurs in the body is not
    compressed again: its ``packed`` (``deflate_part(data)``) is copied in. What lies around it is compressed here,
    with a full flush before each copied part so that nothing after it refers across it."""
    view = memoryview(body)
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, RAW_DEFLATE)
    out = [GZIP_HEADER]
    done = 0
    for start, end, packed in _places(body, parts):
        out += (packer.compress(view[done:start]), packer.flush(zlib.Z_FULL_FLUSH), packed)
        done = end
    out += (packer.compress(view[done:]), packer.flush(zlib.Z_FINISH))
    out.append(struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF))
    return b"".join(out)


def _places(body: bytes, parts: Iterable[tuple[bytes, bytes]]) -> list[tuple[int, int, bytes]]:
    """Where each part's data lies in ``body`` (the first place), in order, without overlaps."""
    found = []
    for data, packed in parts:
        start = _find(body, data)
        if start >= 0:
            found.append((start, start + len(data), packed))
    kept, end = [], 0
    for place in sorted(found):
        if place[0] >= end:
            kept.append(place)
            end = place[1]
    return kept


def _find(body: bytes, data: bytes) -> int:
    """``body.find(data)``, by the first bytes of ``data`` and a comparison in place: bytes.find prepares the
    whole needle first, which for a 50 KB part took longer than compressing the rest of the page."""
    if not data:
        return -1
    head = data[:64]
    start = body.find(head)
    while start >= 0 and not body.startswith(data, start):
        start = body.find(head, start + 1)
    return start


def reuse_packed(data: bytes, packed: bytes) -> None:
    """Offer a kept part of this request's answer in compressed form (``packed`` is ``deflate_part(data)``)."""
    g.setdefault("pgo_packed_parts", []).append((data, packed))


def compress(response: Response) -> Response:
    response.vary.add("Accept-Encoding")
    if not should_compress(response):
        return response
    response.direct_passthrough = False  # static files are sent as a file wrapper: read them (they are small)
    body = response.get_data()
    if len(body) < MINIMUM_BYTES:
        return response
    etag, weak = response.get_etag()
    if request.endpoint == "static" and etag:
        packed = _static_gzip(request.path, etag, body)
    else:
        packed = gzip_with_parts(body, g.get("pgo_packed_parts", ()))
    response.set_data(packed)
    response.headers["Content-Encoding"] = "gzip"
    if etag:
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
