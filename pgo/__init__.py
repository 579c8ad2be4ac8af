"""pgo: a patient-facing companion to a Dutch personal health environment (PGO)."""

from __future__ import annotations

from collections.abc import Mapping


def create_app(config: Mapping | None = None):
    """The Flask app. ``config`` overrides the settings read from the environment (tests pass one)."""
    from pgo.app import build_app

    return build_app(config)
