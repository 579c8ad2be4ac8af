"""Which language a page is in: the person's choice, then the language cookie, then Accept-Language."""

from __future__ import annotations

from flask import Flask, g, request

from pgo.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, set_locale

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

    app.jinja_env.globals["get_locale"] = lambda: g.get("locale", DEFAULT_LOCALE)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
