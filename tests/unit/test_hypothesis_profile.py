"""The Hypothesis profiles of tests/conftest.py (#23, 2026-12-03)."""

from __future__ import annotations

from hypothesis import settings


def test_the_ci_profile_is_derandomized_and_keeps_no_database():
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.database is None
