"""The main menu: each feature lists its entries; the layout shows those for the person's role."""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import LazyProxy
from flask import Flask, g, request


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyProxy | str
    roles: tuple[str, ...]
    icon: str = ""


def init_app(app: Flask, items: list[NavItem]) -> None:
    app.extensions["pgo_nav"] = items

    def menu() -> list[dict]:
        user = g.get("user")
        if user is None:
            return []
        current = request.endpoint or ""
        return [
            {
                "endpoint": item.endpoint,
                "label": str(item.label),
                "icon": item.icon,
                "current": current.split(".")[0] == item.endpoint.split(".")[0],
            }
            for item in items
            if user.role in item.roles
        ]

    app.jinja_env.globals["main_menu"] = menu
