"""Narrative XHTML (``text.div``) and free text made safe to show, with nh3 (ammonia, a maintained sanitiser).

No scripts, no event handlers, no javascript: URLs, no external resources (images only as inline data, no style
attributes, so no style urls), links open nothing but http(s) and mailto and never send a referrer.
"""

from __future__ import annotations

import html

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


def _only_inline_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith("data:image/") else None
    if tag == "a" and attribute == "href" and value.lower().startswith("data:"):
        return None
    return value


def sanitise_html(markup: str) -> str:
    """Safe HTML from a FHIR narrative or other markup."""
    if not markup:
        return ""
    return nh3.clean(
        markup,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_only_inline_images,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """Free text shown as text: any markup in it is escaped, never interpreted."""
    return html.escape(text or "", quote=True)
