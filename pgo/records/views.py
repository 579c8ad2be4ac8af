"""Records: the patient's imported records by category, upload, export."""

from __future__ import annotations

from flask import Blueprint

from pgo.web.navigation import NavItem

bp = Blueprint("records", __name__)

NAV: list[NavItem] = []
