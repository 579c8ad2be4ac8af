"""The clinician's side: consenting patients and the consultation preparation."""

from __future__ import annotations

from flask import Blueprint

from pgo.web.navigation import NavItem

bp = Blueprint("clinic", __name__)

NAV: list[NavItem] = []
