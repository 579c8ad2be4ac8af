"""The sandbox's own tables (clients, codes, tokens), in their own metadata: never part of the app's migrations."""

from __future__ import annotations

from authlib.integrations.sqla_oauth2 import OAuth2AuthorizationCodeMixin, OAuth2ClientMixin, OAuth2TokenMixin
from sqlalchemy import Column, Integer, String, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

SandboxBase = declarative_base()


class SandboxClient(SandboxBase, OAuth2ClientMixin):
    __tablename__ = "sandbox_client"
    id = Column(Integer, primary_key=True)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """A confidential client: its secret in the Authorization header or in the form, or (a client registered
        with a public key, #24) a JWT signed with its private key (RFC 7523, private_key_jwt)."""
        if endpoint != "token":
            return True
        if self.client_metadata.get("token_endpoint_auth_method") == "private_key_jwt":
            return method == "client_assertion_jwt"
        return method in ("client_secret_basic", "client_secret_post")


class SandboxCode(SandboxBase, OAuth2AuthorizationCodeMixin):
    __tablename__ = "sandbox_code"
    id = Column(Integer, primary_key=True)
    user_id = Column(String(40), nullable=False)


class SandboxToken(SandboxBase, OAuth2TokenMixin):
    __tablename__ = "sandbox_token"
    id = Column(Integer, primary_key=True)
    user_id = Column(String(40), nullable=False)

    def is_refresh_token_valid(self) -> bool:
        return not self.refresh_token_revoked_at


def make_storage(url: str = "sqlite://") -> tuple[Engine, scoped_session]:
    """An engine and a thread-local session factory; in memory (one shared connection) by default."""
    kwargs: dict = {"connect_args": {"check_same_thread": False}} if url.startswith("sqlite") else {}
    if url in ("sqlite://", "sqlite:///:memory:"):
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    SandboxBase.metadata.create_all(engine)
    return engine, scoped_session(sessionmaker(bind=engine, expire_on_commit=False))


def register_client(
    session, *, client_id: str, client_secret: str, redirect_uris: list[str], scope: str, public_key: str = ""
) -> SandboxClient:
    """The app as a confidential client (client_secret_post or basic; private_key_jwt when ``public_key`` holds
    its PEM public key), authorization code and refresh grants."""
    client = session.query(SandboxClient).filter_by(client_id=client_id).first() or SandboxClient(client_id=client_id)
    client.client_secret = client_secret
    client.client_id_issued_at = 0
    client.set_client_metadata(
        {
            "client_name": "pgo",
            "redirect_uris": redirect_uris,
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "scope": scope,
            "token_endpoint_auth_method": "private_key_jwt" if public_key else "client_secret_basic",
            "public_key": public_key,
        }
    )
    session.add(client)
    session.commit()
    return client
