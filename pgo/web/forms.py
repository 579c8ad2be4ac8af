"""Forms every person uses: language and display preferences."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from pgo.i18n import _l


def safe_next(target: str | None, default: str = "/") -> str:
    """Only paths on this site: no scheme, no other host, no protocol-relative URL.

    The one check for every ``next`` (#17, 2026-12-03). Browsers drop tabs and line breaks from a URL and read a
    backslash as a slash, so ``/<TAB>/evil.example`` would become ``//evil.example``: a target with any control
    character, whitespace or backslash is refused outright (a line break in a header would also be a 500).
    """
    if not target or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target) or "\\" in target:
        return default
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target


class LanguageForm(FlaskForm):
    lang = HiddenField(validators=[InputRequired()])
    next = HiddenField()


class PreferencesForm(FlaskForm):
    text_size = RadioField(
        _l("Text size"),
        choices=[
            SelectChoice("normal", _l("Normal")),
            SelectChoice("large", _l("Large")),
            SelectChoice("xlarge", _l("Extra large")),
        ],
        validators=[InputRequired(message=_l("Choose a text size."))],
    )
    high_contrast = BooleanField(_l("High contrast: black and white, with yellow links"))
    simplified = BooleanField(_l("Simple view: fewer items, short sentences and pictures"))
    reading_level = RadioField(
        _l("Explanations"),
        choices=[
            SelectChoice("simple", _l("Simple: short and easy words")),
            SelectChoice("standard", _l("Standard: everyday language")),
            SelectChoice("detailed", _l("Detailed: with the medical terms")),
        ],
        validators=[InputRequired(message=_l("Choose how you want explanations."))],
    )
    language = RadioField(
        _l("Language"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
        validators=[InputRequired(message=_l("Choose a language."))],
    )
