"""Page weight: a page with everything it loads on a first visit (CSS, JS, icons, images), raw and gzip."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

_HTML_LINKS = re.compile(
    r"""<(?:link|script|img|use|image|source)\b[^>]*?\b(?:href|src|xlink:href)=["']([^"']+)["']""", re.IGNORECASE
)
_CSS_URLS = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_ANCHOR = re.compile(r"<a\b", re.IGNORECASE)


def gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


@dataclass
class Weight:
    raw: int = 0
    gzip: int = 0
    files: list[str] = field(default_factory=list)
    server_gzip: bool = False  # whether the server itself sent Content-Encoding: gzip for the HTML

    def add(self, name: str, body: bytes) -> None:
        self.files.append(name)
        self.raw += len(body)
        self.gzip += gzip_size(body)


def _same_origin(base: str, link: str) -> str | None:
    if link.startswith(("data:", "#", "mailto:", "javascript:")):
        return None
    target = urlsplit(urljoin(base, link))
    if target.netloc and target.netloc not in ("localhost", "127.0.0.1"):
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def _linked(base: str, html: str) -> list[str]:
    """What a browser loads by itself for this HTML (anchors are not followed; the favicon is)."""
    found = []
    for match in _HTML_LINKS.finditer(html):
        tag_start = html.rfind("<", 0, match.start() + 1)
        if _ANCHOR.match(html, tag_start):
            continue
        path = _same_origin(base, match.group(1))
        if path:
            found.append(path)
    return found


def first_visit(client, path: str) -> Weight:
    """The page and every same-origin file it links (and CSS ``url()`` targets), each once."""
    weight = Weight()
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    weight.server_gzip = response.headers.get("Content-Encoding") == "gzip"
    body = gzip.decompress(response.data) if weight.server_gzip else response.data
    weight.add(path, body)
    queue = _linked(path, body.decode("utf-8", "replace"))
    seen = {path}
    while queue:
        link = queue.pop(0)
        file = link.split("#")[0]
        if file in seen:
            continue
        seen.add(file)
        answer = client.get(file)
        if answer.status_code != 200:
            continue
        data = answer.data
        weight.add(file, data)
        if file.endswith(".css"):
            queue.extend(p for p in (_same_origin(file, u) for u in _CSS_URLS.findall(data.decode())) if p)
    return weight
