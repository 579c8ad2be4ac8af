"""Security headers on every response: a strict Content-Security-Policy without 'unsafe-inline', no framing."""

from __future__ import annotations

from flask import Flask, g, request


def content_security_policy(form_targets: tuple[str, ...] = ()) -> str:
    form_action = " ".join(("'self'", *form_targets))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "media-src 'self' blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        headers = response.headers
        targets = tuple(app.config.get("PGO_FORM_TARGETS", ()))
        headers.setdefault("Content-Security-Policy", content_security_policy(targets))
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if g.get("user") is not None and request.endpoint != "static":
            # Health data must not stay behind in shared browsers' caches.
            headers["Cache-Control"] = "no-store"
        return response
