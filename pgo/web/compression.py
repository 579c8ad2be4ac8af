"""gzip for text answers (pages, partials, CSS, JavaScript, SVG, JSON) when the browser accepts it.

A first visit is mostly text: htmx alone is 52 KB raw and 17 KB gzip. Static files are compressed once per file
version and kept; pages are compressed per answer (level 6 takes well under a millisecond for a page). A
compressed answer carries a weak ETag (the same tag, marked weak) so conditional requests still get 304.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

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
        packed = gzip.compress(body, compresslevel=LEVEL, mtime=0)
    response.set_data(packed)
    response.headers["Content-Encoding"] = "gzip"
    if etag:
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
