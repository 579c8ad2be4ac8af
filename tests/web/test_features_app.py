"""The app registers exactly the blueprints the feature manifest names (#19, 2026-12-03)."""

from __future__ import annotations

from pgo import features


def test_the_manifest_names_every_blueprint_the_app_registers(app):
    named = {module.bp.name for module in features.blueprints()}
    assert set(app.blueprints) == named


def test_the_menu_follows_the_manifests_order(app):
    expected = [item.endpoint for module in features.blueprints() for item in getattr(module, "NAV", [])]
    assert [item.endpoint for item in app.extensions["pgo_nav"]] == expected
