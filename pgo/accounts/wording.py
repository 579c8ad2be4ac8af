"""Shared plain-language pieces for what patients read about their consent and access log."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from pgo.accounts.models import TeamKind
from pgo.clock import as_utc
from pgo.i18n import _, current_locale

# Patients read dates in Dutch local time: an access at 00:30 on 4 March (Amsterdam) is 4 March, not 3 March.
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def format_day(moment: datetime) -> str:
    """'3 maart 2026' / '3 March 2026' in the current language."""
    local = as_utc(moment).astimezone(LOCAL_ZONE).date()
    return format_date(local, format="d MMMM y", locale=current_locale())


def team_label(name: str, kind: str) -> str:
    """'Praktijk De Linde' / 'De Linde practice'; the bare name for other kinds of team."""
    if not name:
        return ""
    if kind == TeamKind.PRACTICE:
        return _("%(name)s practice", name=name)
    if kind == TeamKind.DEPARTMENT:
        return _("%(name)s department", name=name)
    return name


def category_phrase(category: str) -> str:
    """What a consent category covers, as an object in a sentence: 'your measurements'."""
    phrases = {
        "measurements": _("your measurements"),
        "decisions": _("your decision aids"),
        "records": _("your imported records"),
        "all": _("all your data"),
    }
    return phrases.get(category, category)
