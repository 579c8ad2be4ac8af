"""Small helpers the test layers share (tests/ is on sys.path: `from helpers import ...`)."""

from __future__ import annotations

import re

# The display modes every page is checked in, as the preferences form sets them.
MODES = {
    "normal": {"text_size": "normal"},
    "large-text": {"text_size": "xlarge"},
    "high-contrast": {"text_size": "normal", "high_contrast": "y"},
    "simplified": {"text_size": "large", "simplified": "y"},
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token of the form on ``path`` (a Flask test client)."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def get_counting_queries(app, client, path: str):
    """GET ``path`` and count the SQL statements it ran: (count, response)."""
    from sqlalchemy import event

    count = 0

    def counted(*_args) -> None:
        nonlocal count
        count += 1

    engine = app.extensions["pgo_engine"]
    event.listen(engine, "before_cursor_execute", counted)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count, response
