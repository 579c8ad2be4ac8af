"""The main menu: each feature lists its entries; the layout shows those for the person's role.

The menu is the same for everyone with one role on one page in one language, so the layout keeps it rendered
(``pgo.web.fragments``) under those, instead of building its dozen addresses and pictograms on every request.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import LazyProxy
from flask import Flask, g, request

from pgo.web.fragments import Fragment, fragment_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyProxy | str
    roles: tuple[str, ...]
    icon: str = ""
    also: tuple[str, ...] = ()  # other blueprints whose pages belong to this entry (#19: imports and providers)


def init_app(app: Flask, items: list[NavItem]) -> None:
    app.extensions["pgo_nav"] = items

    def menu() -> list[dict]:
        user = g.get("user")
        if user is None:
            return []
        current = request.endpoint or ""
        shown = [item for item in items if user.role in item.roles]
        if "menu_allowed" in g:  # a helper acting for someone (#21): only what the grant opens
            shown = [item for item in shown if item.endpoint in g.menu_allowed]
        exact = any(item.endpoint == current for item in shown)

        def is_current(item: NavItem) -> bool:
            # The entry of this page; else the feature's entry (only when the feature has one entry).
            if exact:
                return item.endpoint == current
            blueprint = item.endpoint.split(".")[0]
            same = [other for other in shown if other.endpoint.split(".")[0] == blueprint]
            return current.split(".")[0] in (blueprint, *item.also) and len(same) == 1

        return [
            {"endpoint": item.endpoint, "label": str(item.label), "icon": item.icon, "current": is_current(item)}
            for item in shown
        ]

    app.jinja_env.globals["main_menu"] = menu
    app.jinja_env.globals["main_menu_part"] = menu_part


def menu_part() -> Fragment:
    """The rendered menu as kept for the person's role, this page, the language and where the app is mounted
    (everything the menu shows depends on); nothing is kept for someone not signed in (they have no menu)."""
    user = g.get("user")
    if user is None:
        return Fragment(None, None)
    acting = tuple(sorted(g.get("menu_allowed", ())))
    return fragment_for(
        ("main menu", user.role, request.endpoint, g.get("locale"), request.script_root, acting), "layout"
    )
