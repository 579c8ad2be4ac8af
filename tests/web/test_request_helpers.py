"""What a view asks of its request, said once in ``pgo.web.request`` (#19, 2026-12-03)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask, g

import pgo
from pgo.web import request as page_request


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 12, 3, 22, 59, tzinfo=UTC), date(2026, 12, 3)),  # 23:59 in Amsterdam (winter, UTC+1)
        (datetime(2026, 12, 3, 23, 0, tzinfo=UTC), date(2026, 12, 4)),  # midnight in Amsterdam, UTC still on the 3rd
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), date(2026, 6, 30)),  # 23:59 in summer (UTC+2)
        (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), date(2026, 7, 1)),  # 00:30 in summer, UTC still on the 30th
    ],
)
def test_today_is_the_patients_date_in_the_netherlands_not_the_utc_date(monkeypatch, now, day):
    monkeypatch.setattr(page_request, "utcnow", lambda: now)

    assert page_request.today() == day


def test_the_language_and_htmx_come_from_the_request():
    app = Flask(__name__)
    with app.test_request_context("/", headers={"HX-Request": "true"}):
        assert page_request.current_lang() == "nl"  # before the locale is chosen: the default
        g.locale = "en"
        assert page_request.current_lang() == "en"
        assert page_request.is_htmx()
    with app.test_request_context("/"):
        assert not page_request.is_htmx()


def test_no_views_module_defines_its_own_request_helpers():
    package = Path(pgo.__file__).parent
    own = re.compile(r"^def _(today|lang|current_lang|level|is_htmx)\(\)", re.MULTILINE)
    found = [
        f"{path.relative_to(package)}: {match.group(0)}"
        for path in package.rglob("*.py")
        if path.name != "request.py"
        for match in own.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
