"""Explanations at the reader's level: level switch, glossary, read-aloud audio."""

from __future__ import annotations

from flask import Blueprint

from pgo.web.navigation import NavItem

bp = Blueprint("literacy", __name__)

NAV: list[NavItem] = []
