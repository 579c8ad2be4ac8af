"""The request class (form values arrive without control characters) and what a view asks of its request.

``today()``, ``current_lang()``, ``current_level()`` and ``is_htmx()`` are said once here (#19, 2026-12-03); views
used to define their own.

No form of pgo takes control characters (C0 controls other than tab and line breaks, DEL, C1 controls) or
Unicode noncharacters: they are invalid in HTML when echoed back into a form, and PostgreSQL refuses NUL in
text. They are removed before any form or view sees the data.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Request, g, request
from werkzeug.datastructures import ImmutableMultiDict

from pgo.clock import utcnow
from pgo.i18n import DEFAULT_LOCALE
from pgo.localtime import local_day
from pgo.web.preferences import current_preferences

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def without_controls(value: str) -> str:
    return _CONTROL.sub("", value)


class PgoRequest(Request):
    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any(_CONTROL.search(v) for v in form.values()):
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, without_controls(value)) for key, value in form.items(multi=True)]
            )


def today() -> date:
    """The day it is for the patient: the date in the Netherlands (Europe/Amsterdam), not in UTC or on the server.
    Between midnight and 01:00 (02:00 in summer) Dutch time the UTC date is still yesterday."""
    return local_day(utcnow())


def current_lang() -> str:
    """The language code of this request's page (``nl`` or ``en``), as chosen by ``pgo.web.locale``."""
    return g.get("locale", DEFAULT_LOCALE)


def current_level() -> str:
    """The reading level the person chose."""
    return current_preferences().reading_level


def is_htmx() -> bool:
    """Whether htmx sent the request (it then swaps a part of the page, not the whole page)."""
    return request.headers.get("HX-Request") == "true"
