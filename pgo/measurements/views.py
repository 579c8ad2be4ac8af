"""Home measurements: entry, plan checklist, history, CSV import; the clinician's plans."""

from __future__ import annotations

from flask import Blueprint

from pgo.web.navigation import NavItem

bp = Blueprint("measurements", __name__)

NAV: list[NavItem] = []
