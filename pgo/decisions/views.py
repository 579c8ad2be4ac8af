"""Decision aids: the patient's steps through an aid."""

from __future__ import annotations

from flask import Blueprint

from pgo.web.navigation import NavItem

bp = Blueprint("decisions", __name__)

NAV: list[NavItem] = []
