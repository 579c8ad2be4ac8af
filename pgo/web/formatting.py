"""Template filters for what every page writes the same way: dates in the reader's language."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import Flask

from pgo.i18n import current_locale


def format_date_long(day: date) -> str:
    """'3 maart 2026' / '3 March 2026' in the current language."""
    return format_date(day, format="d MMMM y", locale=current_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["format_date_long"] = format_date_long
