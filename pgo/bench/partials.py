"""The htmx partials the app answers, asked for the way the browser's htmx asks (HX-Request, HX-Current-URL).

Two interactions use htmx: the explanation's level switch (GET, swaps one explanation) and the measurement entry
form (POST, swaps the form with its errors or the saved result). Each partial is weighed raw and gzip.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

from pgo.bench.weight import Weight

# the level switch's nav names the explanation's URL; app.js adds ?level= (pgo/static/app.js)
_LEVEL_LINK = re.compile(r'data-explain-url="(/records/item/\d+)"')
# since #18 a list page has one level switch for the page; the htmx switch of one explanation is on a record's page
_ITEM_LINK = re.compile(r'href="(/records/item/\d+)"')
_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


@dataclass(frozen=True)
class Partial:
    name: str
    weight: Weight
    status: int


def _hx(current_url: str) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Current-URL": "http://localhost" + current_url}


def _checked(name: str, response, expect: Callable[[bytes], bool]) -> Partial:
    body = response.data
    if body.lstrip()[:15].lower().startswith(b"<!doctype") or not expect(body):
        raise RuntimeError(f"{name}: the answer to an htmx request is not the expected partial ({response.status})")
    weight = Weight()
    weight.add(name, body)
    return Partial(name, weight, response.status_code)


def _form_values(page: str) -> dict[str, str]:
    values = {}
    for tag in _INPUT.findall(page):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if "name" in attributes:
            values[attributes["name"]] = html_lib.unescape(attributes.get("value", ""))
    return values


def measure(client, overview_path: str = "/records") -> list[Partial]:
    """Every htmx partial, for a signed-in patient with records and blood pressure in their plan (or not)."""
    found = []
    overview = client.get(overview_path).get_data(as_text=True)
    page_path, link = overview_path, _LEVEL_LINK.search(overview)
    if link is None and (item := _ITEM_LINK.search(overview)):
        page_path = html_lib.unescape(item.group(1))
        link = _LEVEL_LINK.search(client.get(page_path).get_data(as_text=True))
    if link is None:
        raise LookupError(f"no level switch (data-explain-url) on {page_path}: the partial cannot be measured")
    answer = client.get(html_lib.unescape(link.group(1)) + "?level=simple", headers=_hx(page_path))
    found.append(
        _checked("explanation_level", answer, lambda b: b.lstrip().startswith(b'<section class="explanation"'))
    )
    entry = "/measurements/blood_pressure/new"
    form = client.get(entry, headers=_hx(entry))
    found.append(_checked("measurement_form", form, lambda b: b'<form method="post"' in b))
    values = _form_values(client.get(entry).get_data(as_text=True))
    wrong = client.post(entry, data={**values, "systolic": "abc", "diastolic": ""}, headers=_hx(entry))
    found.append(
        _checked("measurement_form_errors", wrong, lambda b: b"error-summary" in b or b'aria-invalid="true"' in b)
    )
    values = _form_values(client.get(entry).get_data(as_text=True))  # a fresh form token: this one is stored
    saved = client.post(
        entry, data={**values, "systolic": "128", "diastolic": "82", "heart_rate": "70"}, headers=_hx(entry)
    )
    found.append(_checked("measurement_saved", saved, lambda b: b"data-focus-after-swap" in b and b"<form" not in b))
    return found
