"""Which language a page is in: the person's choice, then the language cookie, then Accept-Language."""

from __future__ import annotations

from flask import Flask, g, request

from pgo.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, catalogue, set_locale

LANGUAGE_COOKIE = "pgo_lang"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def select_locale() -> str:
    if "locale" in g:
        return g.locale
    user = g.get("user")
    if user is not None and user.locale in SUPPORTED_LOCALES:
        return user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in SUPPORTED_LOCALES:
        return cookie
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or DEFAULT_LOCALE


def init_app(app: Flask) -> None:
    @app.before_request
    def _set_locale() -> None:
        g.locale = select_locale()
        set_locale(g.locale)

    _install_template_gettext(app)
    app.jinja_env.globals["get_locale"] = lambda: g.get("locale", DEFAULT_LOCALE)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES


def _page_catalogue():
    """The catalogue of the page's language (chosen before the view runs; an error page may come earlier)."""
    return catalogue(g.locale if "locale" in g else select_locale())


def _install_template_gettext(app: Flask) -> None:
    """Templates translate with the catalogues of ``pgo.i18n`` directly (after Flask-Babel, which installs its
    own): Flask-Babel looks its translations up through several context locals per call, which cost a record
    page with twenty explanations about a third of its time (cProfile, issue 8). Same catalogues, same
    newstyle formatting (``%(name)s`` variables, autoescaped)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_catalogue().gettext(s),
        ngettext=lambda s, p, n: _page_catalogue().ngettext(s, p, n),
        pgettext=lambda c, s: _page_catalogue().pgettext(c, s),
        npgettext=lambda c, s, p, n: _page_catalogue().npgettext(c, s, p, n),
        newstyle=True,
    )
