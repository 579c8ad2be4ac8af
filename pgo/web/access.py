"""Who may open which page. Every route declares a rule; a route without one is refused (and a test fails).

Rules are coarse (signed in, role); which patient's data a clinician may see is decided per request by the
consent policy in ``pgo.accounts``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from flask import Flask, abort, g, redirect, request, url_for

F = TypeVar("F", bound=Callable)

# Flask's own endpoints that carry no rule attribute.
BUILTIN_RULES = {"static": "public"}


class Rule(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    PATIENT = "patient"
    CLINICIAN = "clinician"


def _rule(rule: Rule) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        view.pgo_access = rule  # type: ignore[attr-defined]
        return view

    return decorate


public = _rule(Rule.PUBLIC)
signed_in = _rule(Rule.SIGNED_IN)
patient_only = _rule(Rule.PATIENT)
clinician_only = _rule(Rule.CLINICIAN)


def rule_for(app: Flask, endpoint: str) -> str | None:
    if endpoint in BUILTIN_RULES:
        return BUILTIN_RULES[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, "pgo_access", None)


def _enforce(app: Flask):
    """The answer before the view: None to go on, a redirect to sign in, or 403. A module-level function, not one
    nested in ``init_app``, so that mutation testing reaches it (#23, 2026-12-03)."""
    if request.endpoint is None:  # 404 or 405: Flask answers that itself
        return None
    rule = rule_for(app, request.endpoint)
    if rule is None:
        abort(403)  # fail closed: a route without a rule is nobody's
    if rule == Rule.PUBLIC:
        return None
    user = g.get("user")
    if user is None:
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
    if rule == Rule.PATIENT and not user.is_patient:
        abort(403)
    if rule == Rule.CLINICIAN and not user.is_clinician:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(lambda: _enforce(app))
