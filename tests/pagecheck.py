"""The checks every rendered page must pass: valid HTML, one <h1>, <title> starting with it, unique ids, lang."""

from __future__ import annotations

import re

import html5lib
from html5lib.html5parser import ParseError


class PageProblem(AssertionError):
    pass


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def check_page(html: str, *, where: str = "") -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(html)
    except ParseError as error:
        line = parser.errors[-1][0] if parser.errors else "?"
        raise PageProblem(f"{where}: invalid HTML ({error}) near {line}") from error
    root = document
    lang = root.get("lang")
    if lang not in ("nl", "en"):
        raise PageProblem(f"{where}: <html lang> is {lang!r}")
    headings = root.findall(".//h1")
    if len(headings) != 1:
        raise PageProblem(f"{where}: expected one <h1>, found {len(headings)}")
    h1 = _text(headings[0])
    title_el = root.find(".//title")
    title = _text(title_el) if title_el is not None else ""
    if not h1 or not title.startswith(h1):
        raise PageProblem(f"{where}: <title> {title!r} does not start with the <h1> {h1!r}")
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PageProblem(f"{where}: duplicate ids {duplicates}")
