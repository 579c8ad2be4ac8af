"""Rendered page parts kept in memory, so that a page whose data did not change is not made again.

A template marks the part: ``{% cache fragment %}...{% endcache %}``. ``fragment`` is a ``Fragment`` the view
made with ``fragment_for(key)``: its key names everything the part depends on (the person, the revision of
their data, language, reading level, display mode, the query string), and its ``html`` is the part as kept
(``None`` the first time). The view asks before it queries anything, so a kept page costs no queries for its
content; parts that depend on the request itself (CSRF tokens, flash messages) stay outside the block.

A kept part is kept as text for the template, as the UTF-8 bytes the answer carries, and compressed
(``pgo.web.compression.deflate_part``): an answer that accepts gzip copies the compressed part in and compresses
only the page around it (the frame, with the request's CSRF token, is made and compressed per request).

The store is per app and per process (each server worker has its own), bounded in size, least recently used
out first. It holds no secret beyond what the person's own pages show, and it is not shared between people:
the person's id is part of every key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Flask, current_app
from jinja2 import nodes
from jinja2.ext import Extension
from markupsafe import Markup

from pgo.web.compression import deflate_part, reuse_packed

DEFAULT_BYTES = 32 * 1024 * 1024
LAYOUT_BYTES = 4 * 1024 * 1024  # the menu: a few KB for each role, page and language
# A part smaller than this is compressed with the page around it: a separate piece would cost a flush and some
# compression for a gain of microseconds.
PACKED_MINIMUM = 4096


@dataclass(frozen=True, slots=True)
class KeptPart:
    """A rendered part: its html (``Markup``, as the template made it), the same as UTF-8 and compressed."""

    html: Markup
    data: bytes
    packed: bytes

    @classmethod
    def of(cls, html: Markup) -> KeptPart:
        data = html.encode()
        return cls(html, data, deflate_part(data) if len(data) >= PACKED_MINIMUM else b"")

    def __len__(self) -> int:
        """What it holds, roughly in bytes (the store's measure)."""
        return len(self.html) + len(self.data) + len(self.packed)


class FragmentStore:
    """A thread-safe LRU map from key to kept part (or anything with a length), holding at most ``limit`` in
    length (bytes, for a ``KeptPart``)."""

    def __init__(self, limit: int = DEFAULT_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, KeptPart] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> KeptPart | None:
        with self._lock:
            html = self._items.get(key)
            if html is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return html

    def put(self, key: Hashable, html: KeptPart) -> None:
        if len(html) > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._items[key] = html
            self.size += len(html)
            while self.size > self.limit:
                _key, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Fragment:
    key: Hashable | None  # None: do not keep (e.g. while templates reload in development)
    kept: KeptPart | None  # the kept part, or None: render the block (and keep it under key)
    kept_in: FragmentStore | None = None  # where to keep it (None: the record pages' store)

    @property
    def ready(self) -> bool:
        return self.kept is not None


def store(app: Flask | None = None, name: str = "pages") -> FragmentStore:
    """The app's store ``name``: "pages" (record pages) or "layout" (parts of the page frame, such as the menu:
    small and few, kept apart so that they neither push pages out nor are pushed out by them)."""
    return (app or current_app).extensions["pgo_fragments"][name]


def fragment_for(key: Hashable, kept_in: str = "pages") -> Fragment:
    """The part kept under ``key``, or an empty one to render and keep. Off when templates auto-reload."""
    app = current_app
    if not app.config["PGO_FRAGMENT_CACHE"] or app.jinja_env.auto_reload:
        return Fragment(None, None)
    where = store(app, kept_in)
    return Fragment(key, where.get(key), where)


class FragmentCacheExtension(Extension):
    """``{% cache fragment %}body{% endcache %}``: the kept html of ``fragment``, or the body, rendered and kept."""

    tags = {"cache"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        fragment = parser.parse_expression()
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_cached", [fragment]), [], [], body).set_lineno(lineno)

    def _cached(self, fragment: Fragment | None, caller) -> Markup:
        if fragment is not None and fragment.kept is not None:
            kept = fragment.kept
        else:
            html = caller()
            if fragment is None or fragment.key is None:
                return html
            kept = KeptPart.of(html)
            (store() if fragment.kept_in is None else fragment.kept_in).put(fragment.key, kept)
        if kept.packed:
            reuse_packed(kept.data, kept.packed)
        return kept.html


def init_app(app: Flask) -> None:
    app.config.setdefault("PGO_FRAGMENT_CACHE", True)
    app.extensions["pgo_fragments"] = {
        "pages": FragmentStore(app.config.get("PGO_FRAGMENT_CACHE_BYTES", DEFAULT_BYTES)),
        "layout": FragmentStore(LAYOUT_BYTES),
    }
    app.jinja_env.add_extension(FragmentCacheExtension)
