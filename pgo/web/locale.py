"""Which language a page is in: the person's choice, then the language cookie, then Accept-Language."""

from __future__ import annotations

from flask import Flask, g, request
from jinja2 import pass_eval_context
from markupsafe import Markup

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
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext


_TEXTS: dict[tuple[str, str, bool], str] = {}
_TEXTS_LIMIT = 20_000


@pass_eval_context
def _template_gettext(eval_ctx, message: str, **variables: object) -> str:
    """``_()`` and ``gettext()`` in templates, as Jinja's newstyle gettext does it (translated, marked safe when
    the template autoescapes, always formatted with ``%``), in one call instead of three. A message without
    variables is kept per language once formatted: a record page asks for the same few dozen labels hundreds
    of times (issue 8). Catalogues never change while a process runs (``pgo.i18n.catalogue`` is cached)."""
    locale = g.get("locale") or select_locale()  # one look-up through the proxy, not two
    if variables:
        return _as_template_text(catalogue(locale).gettext(message), eval_ctx.autoescape) % variables
    key = (locale, message, eval_ctx.autoescape)
    text = _TEXTS.get(key)
    if text is None:
        text = _as_template_text(catalogue(locale).gettext(message), eval_ctx.autoescape) % {}
        if len(_TEXTS) < _TEXTS_LIMIT:
            _TEXTS[key] = text
    return text


def _as_template_text(text: str, autoescape: bool) -> str:
    return Markup(text) if autoescape else text  # noqa: S704 - our own catalogue, as Jinja does
