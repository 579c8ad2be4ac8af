"""Measurement entry (#18): every number field shows its own unit, and says it to screen readers in its label."""

from __future__ import annotations

import lxml.html
import pytest

from pgo.measurements.types import TYPES, unit_symbol

SINGLE_UNIT = [t for t in TYPES.values() if t.fields and len(t.entry_units) == 1 and unit_symbol(t.unit)]


@pytest.fixture
def anna(make_user, sign_in):
    user = make_user("anna@example.nl", name="Anna")
    sign_in("anna@example.nl")
    return user


def field_unit(page, name: str) -> tuple[str, str]:
    """The input's label text (its accessible name) and the unit shown beside it."""
    label = page.xpath(f"//label[@for='{name}']")[0]
    suffix = page.get_element_by_id(name).getparent().xpath("span[contains(@class, 'suffix')]")
    return " ".join(label.text_content().split()), suffix[0].text_content().strip() if suffix else ""


@pytest.mark.parametrize("mtype", SINGLE_UNIT, ids=lambda t: t.key)
def test_every_field_shows_and_names_its_own_unit(client, anna, mtype):
    page = lxml.html.fromstring(client.get(f"/measurements/{mtype.key}/new").get_data(as_text=True))
    for spec in mtype.fields:
        expected = {"heart_rate": "/min"}.get(spec.name, unit_symbol(mtype.unit))
        label, shown = field_unit(page, spec.name)
        assert shown == expected, f"{mtype.key}.{spec.name} shows {shown!r}"
        assert label.endswith(f"({expected})"), f"{mtype.key}.{spec.name} is named {label!r}"


def test_the_heart_rate_in_blood_pressure_entry_is_per_minute_not_mmhg(client, anna):
    page = lxml.html.fromstring(client.get("/measurements/blood_pressure/new").get_data(as_text=True))
    assert field_unit(page, "systolic")[1] == "mmHg"
    assert field_unit(page, "heart_rate")[1] == "/min"
