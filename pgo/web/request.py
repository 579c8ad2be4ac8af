"""The request class: form values arrive without control characters.

No form of pgo takes control characters (C0 controls other than tab and line breaks, DEL, C1 controls) or
Unicode noncharacters: they are invalid in HTML when echoed back into a form, and PostgreSQL refuses NUL in
text. They are removed before any form or view sees the data.
"""

from __future__ import annotations

import re

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict

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
