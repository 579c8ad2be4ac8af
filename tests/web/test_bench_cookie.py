"""The benchmark's load tools send one fixed session cookie: it must be the one a browser holds after its first
page, or every answer would make a new CSRF secret and send a new cookie (which no browser does)."""

from __future__ import annotations

from pgo.bench.pages import session_cookie, sign_in

PASSWORD = "correct-paard-batterij"  # make_user's (tests/web/conftest.py)


def _answers_with_a_fixed_cookie(app, cookie: str) -> list[bool]:
    """Whether each of two answers to a client that keeps sending ``cookie`` (as wrk does) sets a cookie."""
    tool = app.test_client()
    sent = []
    for _ in range(2):
        tool.set_cookie("pgo_session", cookie)
        answer = tool.get("/records")
        assert answer.status_code == 200
        sent.append("Set-Cookie" in answer.headers)
    return sent


def test_the_benchmark_cookie_is_the_one_a_browser_holds_after_its_first_page(app, make_user):
    make_user("anna@example.nl")
    browser = app.test_client()
    sign_in(browser, "anna@example.nl", PASSWORD)
    assert _answers_with_a_fixed_cookie(app, session_cookie(browser, first_page="/records")) == [False, False]
    signed_in_only = app.test_client()
    sign_in(signed_in_only, "anna@example.nl", PASSWORD)
    assert _answers_with_a_fixed_cookie(app, session_cookie(signed_in_only)) == [True, True]  # the trap it avoids
