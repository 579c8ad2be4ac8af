"""Translations for domain code, without Flask.

Message ids are English; ``translations/nl`` holds the Dutch text and ``translations/en`` the English. The
current language is a context variable: the web layer sets it per request, the CLI and tests with
``use_locale``. Templates translate with the same catalogues (``pgo.web.locale``); Flask-Babel only chooses
the language for WTForms' own messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

SUPPORTED_LOCALES = ("nl", "en")
DEFAULT_LOCALE = "nl"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

_locale: ContextVar[str] = ContextVar("pgo_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return _locale.get()


def set_locale(lang: str) -> None:
    _locale.set(lang if lang in SUPPORTED_LOCALES else DEFAULT_LOCALE)


@contextmanager
def use_locale(lang: str) -> Iterator[None]:
    token = _locale.set(lang if lang in SUPPORTED_LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


@cache
def catalogue(lang: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [lang], domain="messages")


def gettext(msgid: str, **variables: object) -> str:
    text = catalogue(current_locale()).gettext(msgid)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    text = catalogue(current_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


def lazy_gettext(msgid: str, **variables: object) -> LazyProxy:
    return LazyProxy(gettext, msgid, enable_cache=False, **variables)


_ = gettext
_l = lazy_gettext
