"""The pages every person shares: language, display preferences, security headers, error pages."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from pgo.accounts.models import User
from pgo.web.forms import safe_next


def test_start_page_is_dutch_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="nl"' in html
    assert "Uw gezondheidsgegevens, uitgelegd op uw niveau" in html


def test_accept_language_then_cookie_decide_the_language(client):
    assert '<html lang="en"' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    client.set_cookie("pgo_lang", "nl")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl"' in html


def test_language_switch_sets_cookie_and_returns(client, token):
    response = client.post("/language", data={"lang": "en", "next": "/preferences", "csrf_token": token()})
    assert response.status_code == 302
    assert response.headers["Location"] == "/preferences"
    assert "pgo_lang=en" in response.headers["Set-Cookie"]
    assert "Display and language" in client.get("/preferences").get_data(as_text=True)


def test_language_switch_never_redirects_elsewhere(client, token):
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/x", "csrf_token": token()})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/%09/evil.example", "/%0d%0aSet-Cookie:%20x=1", "/%0a/evil.example"])
def test_language_switch_from_a_crafted_404_stays_on_the_site(client, token, path):
    """#17: the 404 page's language switch carried ``/<TAB>/evil.example`` back as ``//evil.example``, or a 500."""
    page = client.get(path)
    assert page.status_code == 404
    hidden = re.search(r'name="next" value="([^"]*)"', page.get_data(as_text=True)).group(1)
    response = client.post("/language", data={"lang": "en", "next": html.unescape(hidden), "csrf_token": token()})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/records?page=2", "/records?page=2"),
        ("https://evil.example", "/"),
        ("//evil", "/"),
        ("/\\evil", "/"),
        ("", "/"),
        (None, "/"),
        ("/\t/evil.example", "/"),  # #17: browsers drop the tab and go to //evil.example
        ("/\n/evil.example", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
        ("/ /evil.example", "/"),
        ("/\x7f/evil", "/"),
        ("/records/item/1#item-1", "/records/item/1#item-1"),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in tests


def test_hsts_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_state_changes_need_the_csrf_token(client):
    response = client.post("/language", data={"lang": "en", "next": "/"})
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.get_data(as_text=True)


def test_preferences_before_sign_in_live_in_a_cookie(client, token):
    response = client.post(
        "/preferences",
        data={
            "text_size": "xlarge",
            "high_contrast": "y",
            "reading_level": "standard",
            "language": "nl",
            "csrf_token": token("/preferences"),
        },
    )
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert 'class="text-xlarge contrast-high"' in html


def test_preferences_stay_with_the_person(client, make_user, sign_in, token, db_session, client_for):
    make_user("anna@example.nl")
    sign_in("anna@example.nl")
    client.post(
        "/preferences",
        data={
            "text_size": "large",
            "simplified": "y",
            "reading_level": "standard",
            "language": "en",
            "csrf_token": token("/preferences"),
        },
    )
    user = db_session.exec(select(User).where(User.email == "anna@example.nl")).one()
    assert (user.text_size, user.simplified, user.locale) == ("large", True, "en")
    assert user.reading_level == "simple"  # switching the simple view on starts at the simple level
    other_browser = client_for("anna@example.nl")
    html = other_browser.get("/").get_data(as_text=True)
    assert '<html lang="en" class="text-large simplified">' in html


def test_preferences_refuse_unknown_values(client, token):
    response = client.post(
        "/preferences",
        data={
            "text_size": "huge",
            "reading_level": "standard",
            "language": "nl",
            "csrf_token": token("/preferences"),
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert 'href="#text_size"' in html


def test_not_found_in_both_languages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert "Page not found" in response.get_data(as_text=True)


def test_server_error_page(app):
    from pgo.web.access import public

    @public
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", broken)
    app.testing = False
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.get_data(as_text=True)


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"


def test_templates_translate_in_the_page_language_escaping_variables(app):
    page = '{{ _("Date") }}|{{ _("%(n)s of 5", n=n) }}|{% trans %}What is this?{% endtrans %}|{{ _("100%%") }}'
    for language, expected in (
        ("nl", "Datum|&lt;b&gt; van 5|Wat is dit?|100%"),
        ("en", "Date|&lt;b&gt; of 5|What is this?|100%"),
    ):
        for _round in range(2):  # the second time from what was kept
            with app.test_request_context("/", headers={"Accept-Language": language}):
                app.preprocess_request()
                assert app.jinja_env.from_string(page).render(n="<b>") == expected


def test_moments_are_shown_in_dutch_local_time_in_the_page_language(app):
    summer, winter = datetime(2026, 7, 1, 12, 0, tzinfo=UTC), datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    page = "{{ summer | format_moment }} / {{ winter | format_moment }}"
    for language, expected in (("nl", "1 jul 2026, 14:00:00 / 16 jan 2026, 00:30:00"), ("en", "Jul 1, 2026")):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            app.preprocess_request()
            shown = app.jinja_env.from_string(page).render(summer=summer, winter=winter)
        assert shown.replace("\u202f", " ").startswith(expected), shown
