"""Template helpers for what every page writes the same way: dates in the reader's language, pictograms."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime
from flask import Flask, g, url_for
from markupsafe import Markup, escape

from pgo.i18n import current_locale
from pgo.localtime import local


def format_date_long(day: date) -> str:
    """'3 maart 2026' / '3 March 2026' in the current language."""
    return format_date(day, format="d MMMM y", locale=current_locale())


def format_moment(moment: datetime, style: str = "medium") -> str:
    """A moment in Dutch local time, in the current language: '22 nov 2026 14:05:00'. (Flask-Babel's
    ``datetimeformat`` showed UTC: its default time zone.)"""
    return format_datetime(local(moment), style, locale=current_locale())


def pictogram(name: str | None, label: str | None = None) -> Markup:
    """A pictogram from the sprite: decorative by default, with ``label`` an image with that text alternative.

    Used by ``components/icon.html``. A Python function, not a macro: a record page draws about a hundred of them,
    and a macro call with its own url_for cost more than the rest of the card (issue 8)."""
    if not name:
        return Markup("")
    if "sprite_url" not in g:
        g.sprite_url = url_for("static", filename="icons.svg")
    return _svg(g.sprite_url, escape(name), escape(label) if label else None)


def hyphenate(text: object) -> str:
    """Long words with soft hyphens in the current language (#16), so a heading breaks between syllables, never
    off the side of a phone; a heading inside a flex box cannot break a word otherwise."""
    from pgo.hyphenation import soft_hyphens

    return soft_hyphens(str(text), current_locale())


@lru_cache(maxsize=512)
def _svg(sprite_url: str, name: Markup, label: Markup | None) -> Markup:
    """Name and label come escaped (Markup), so a kept answer never mixes escaped and plain text."""
    use = Markup('<use href="%s#%s"></use></svg>') % (sprite_url, name)
    if label:
        return Markup('<svg class="icon icon-%s" role="img" aria-label="%s" focusable="false">') % (name, label) + use
    return Markup('<svg class="icon icon-%s" aria-hidden="true" focusable="false">') % name + use


def init_app(app: Flask) -> None:
    app.jinja_env.filters["format_date_long"] = format_date_long
    app.jinja_env.filters["format_moment"] = format_moment
    app.jinja_env.filters["hyphenate"] = hyphenate
    app.jinja_env.globals["pictogram"] = pictogram
