"""Optional single sign-on with OpenID Connect (Authlib), configured by environment; off by default.

PGO_OIDC_ISSUER, PGO_OIDC_CLIENT_ID and PGO_OIDC_CLIENT_SECRET switch it on. Someone who signs in this way must
already have an account: it is found by the issuer's subject, or once by a verified email address (then the
subject is remembered). Accounts are never created from a sign-on.
"""

from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask
from sqlmodel import Session, select

from pgo.accounts.models import User
from pgo.accounts.service import find_user


def init_app(app: Flask) -> None:
    """One OAuth registry per app (tests build several apps with different issuers)."""
    oauth = OAuth(app)
    app.extensions["pgo_oidc"] = oauth
    if is_enabled(app):
        issuer = app.config["PGO_OIDC_ISSUER"].rstrip("/")
        oauth.register(
            "sso",
            client_id=app.config["PGO_OIDC_CLIENT_ID"],
            client_secret=app.config["PGO_OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )


def client(app: Flask):
    return app.extensions["pgo_oidc"].sso


def is_enabled(app: Flask) -> bool:
    return bool(app.config.get("PGO_OIDC_ISSUER") and app.config.get("PGO_OIDC_CLIENT_ID"))


def user_for_claims(*, session: Session, claims: dict, issuer: str) -> User | None:
    """The existing account for these ID-token claims, linking the subject on the first verified-email match."""
    subject = f"{issuer}|{claims.get('sub', '')}"
    if not claims.get("sub"):
        return None
    user = session.exec(select(User).where(User.oidc_subject == subject)).first()
    if user is not None:
        return user
    email = claims.get("email")
    if not email or claims.get("email_verified") is not True:
        return None
    user = find_user(session, email)
    if user is None or user.oidc_subject:
        return None
    user.oidc_subject = subject
    session.add(user)
    return user
