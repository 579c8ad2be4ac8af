"""Display preferences that stay with the person: text size, high contrast, simplified view, reading level.

Signed-in people keep them on their account; before signing in they live in a cookie. The account is read by
its attributes (``Person`` below), so the page machinery imports no feature (#19, 2026-12-03).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import Flask, g, request

from pgo.levels import ReadingLevel, TextSize

DISPLAY_COOKIE = "pgo_display"


class Person(Protocol):
    """What the preferences read and write on an account (``pgo.accounts.models.User`` has them)."""

    text_size: str
    high_contrast: bool
    simplified: bool
    reading_level: str


@dataclass(frozen=True)
class DisplayPreferences:
    text_size: str = TextSize.NORMAL
    high_contrast: bool = False
    simplified: bool = False
    reading_level: str = ReadingLevel.STANDARD

    @property
    def html_classes(self) -> str:
        classes = [f"text-{self.text_size}"]
        if self.high_contrast:
            classes.append("contrast-high")
        if self.simplified:
            classes.append("simplified")
        return " ".join(classes)

    @property
    def content_key(self) -> tuple[bool, str]:
        """What changes a page's content: the simplified view and the reading level. Text size and contrast
        are classes on ``<html>`` (see ``html_classes``), outside any kept page part."""
        return (self.simplified, str(self.reading_level))

    def to_cookie(self) -> str:
        return f"{self.text_size}.{int(self.high_contrast)}.{int(self.simplified)}.{self.reading_level}"

    @classmethod
    def from_cookie(cls, value: str | None) -> DisplayPreferences:
        try:
            size, contrast, simple, level = (value or "").split(".")
            return cls(
                text_size=TextSize(size),
                high_contrast=contrast == "1",
                simplified=simple == "1",
                reading_level=ReadingLevel(level),
            )
        except ValueError:
            return cls()

    @classmethod
    def of(cls, user: Person) -> DisplayPreferences:
        return cls(user.text_size, user.high_contrast, user.simplified, user.reading_level)

    def apply_to(self, user: Person) -> None:
        user.text_size = self.text_size
        user.high_contrast = self.high_contrast
        user.simplified = self.simplified
        user.reading_level = self.reading_level

    def updated(
        self, *, text_size: str, high_contrast: bool, simplified: bool, reading_level: str
    ) -> DisplayPreferences:
        """The new choice. Switching the simplified view on starts at the simple reading level, unless the
        person chose a level in the same step."""
        if simplified and not self.simplified and reading_level == self.reading_level:
            reading_level = ReadingLevel.SIMPLE
        return DisplayPreferences(TextSize(text_size), high_contrast, simplified, ReadingLevel(reading_level))


def current_preferences() -> DisplayPreferences:
    if "display" not in g:
        user = g.get("user")
        if user is not None:
            g.display = DisplayPreferences.of(user)
        else:
            g.display = DisplayPreferences.from_cookie(request.cookies.get(DISPLAY_COOKIE))
    return g.display


def init_app(app: Flask) -> None:
    app.jinja_env.globals["display"] = current_preferences
