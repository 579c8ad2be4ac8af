"""Reading levels said once, in ``pgo.levels`` (#19, 2026-12-03); their stored values stay the plain strings."""

from __future__ import annotations

from pgo.accounts.models import User
from pgo.levels import LEVELS, ReadingLevel, TextSize, known_level


def test_levels_are_the_stored_strings_in_the_order_people_see_them():
    assert LEVELS == ("simple", "standard", "detailed")
    assert [size.value for size in TextSize] == ["normal", "large", "xlarge"]


def test_an_unknown_level_falls_back_to_standard():
    assert known_level("simple") is ReadingLevel.SIMPLE
    assert known_level("detailed") is ReadingLevel.DETAILED
    for asked in (None, "", "expert", "SIMPLE"):
        assert known_level(asked) is ReadingLevel.STANDARD


def test_an_account_stores_the_plain_values():
    person = User(email="a@example.nl")
    assert person.reading_level == "standard" and person.text_size == "normal"
