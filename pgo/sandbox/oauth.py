"""The sandbox's OAuth2 authorization server: authorization code with PKCE (S256, required) and refresh tokens."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import InvalidClientError, InvalidRequestError, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9207 import IssuerParameter
from flask import request as flask_request
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from pgo.sandbox.records import find_patient, patient_id
from pgo.sandbox.storage import SandboxClient, SandboxCode, SandboxToken

READ_SCOPE = "patient/*.read"
WRITE_SCOPE = "patient/*.write"  # sending measurements and answers back (#20)
ASSERTION_ALGORITHMS = ("RS384", "ES384", "RS256", "ES256")
AUTH_METHODS = ["client_secret_basic", "client_secret_post", JWTBearerClientAssertion.CLIENT_AUTH_METHOD]


def create_authorization_server(app, db, behaviour) -> tuple[AuthorizationServer, ResourceProtector]:
    """Wire Authlib to the sandbox storage. ``behaviour`` holds the live failure switches."""

    def query_client(client_id: str):
        return db.query(SandboxClient).filter_by(client_id=client_id).first()

    def save_token(token: dict, request) -> None:
        fields = {key: value for key, value in token.items() if key != "patient"}
        db.add(SandboxToken(client_id=request.client.client_id, user_id=request.user.get_user_id(), **fields))
        db.commit()

    code_grant, refresh_grant = _grants(db)
    server = AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_grant(code_grant, [CodeChallenge(required=True)])
    server.register_grant(refresh_grant)
    server.register_token_generator("default", _token_generator(behaviour))
    server.register_client_auth_method(JWTBearerClientAssertion.CLIENT_AUTH_METHOD, _ClientAssertion())
    server.register_extension(_Issuer())  # RFC 9207: the callback names the server that answers (#24)

    class Validator(BearerTokenValidator):
        def authenticate_token(self, token_string):
            return db.query(SandboxToken).filter_by(access_token=token_string).first()

    protector = ResourceProtector()
    introspection = app.config.get("SANDBOX_INTROSPECTION_URL")
    protector.register_token_validator(_IntrospectedValidator(app.config) if introspection else Validator())
    return server, protector


@dataclass
class IntrospectedToken:
    """An access token another authorization server issued, as its RFC 7662 introspection described it."""

    user_id: str
    scope: str
    exp: int

    def get_scope(self) -> str:
        return self.scope

    def is_expired(self) -> bool:
        return self.exp <= time.time()

    def is_revoked(self) -> bool:
        return False


class _IntrospectedValidator(BearerTokenValidator):
    """The FHIR API in front of an independent authorization server (the interoperability test, #24): each bearer
    token is introspected there (RFC 7662); its ``sub`` is the sandbox patient's user name."""

    def __init__(self, config) -> None:
        super().__init__()
        self.url = config["SANDBOX_INTROSPECTION_URL"]
        self.auth = (config["SANDBOX_INTROSPECTION_CLIENT_ID"], config["SANDBOX_INTROSPECTION_CLIENT_SECRET"])

    def authenticate_token(self, token_string):
        try:
            answer = requests.post(self.url, data={"token": token_string}, auth=self.auth, timeout=10).json()
        except (requests.RequestException, ValueError):
            return None
        if not isinstance(answer, dict) or not answer.get("active") or not find_patient(str(answer.get("sub", ""))):
            return None
        return IntrospectedToken(str(answer["sub"]), str(answer.get("scope", "")), int(answer.get("exp", 0)))


def _grants(db):
    """The authorization-code grant (PKCE S256 required) and the refresh grant, on the sandbox storage."""

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

        def validate_authorization_request(self):
            redirect_uri = super().validate_authorization_request()
            data = self.request.payload.data
            if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
                raise InvalidRequestError("PKCE with code_challenge_method S256 is required")
            aud = data.get("aud")
            if aud is not None and aud.rstrip("/") != fhir_base_url():
                raise InvalidRequestError("aud is not this server's FHIR base")  # SMART App Launch 2
            return redirect_uri

        def save_authorization_code(self, code, request):
            challenge = request.payload.data.get("code_challenge")
            method = request.payload.data.get("code_challenge_method")
            db.add(
                SandboxCode(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.client.get_allowed_scope(request.payload.scope),  # what it offers, no more
                    user_id=request.user.get_user_id(),
                    code_challenge=challenge,
                    code_challenge_method=method,
                )
            )
            db.commit()

        def query_authorization_code(self, code, client):
            item = db.query(SandboxCode).filter_by(code=code, client_id=client.client_id).first()
            return item if item and not item.is_expired() else None

        def delete_authorization_code(self, authorization_code):
            db.delete(authorization_code)
            db.commit()

        def authenticate_user(self, authorization_code):
            return find_patient(authorization_code.user_id)

    class RefreshGrant(grants.RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token):
            item = db.query(SandboxToken).filter_by(refresh_token=refresh_token).first()
            if item is not None and not item.is_refresh_token_valid() and item.refresh_token_revoked_at > 1:
                _revoke_grant(db, item)  # a rotated refresh token used again: theft, as real servers see it (#24)
                return None
            return item if item and item.is_refresh_token_valid() else None

        def authenticate_user(self, credential):
            return find_patient(credential.user_id)

        def revoke_old_credential(self, credential):
            credential.refresh_token_revoked_at = int(time.time())
            credential.access_token_revoked_at = int(time.time())
            db.commit()

    return CodeGrant, RefreshGrant


def issuer() -> str:
    """The sandbox's issuer identifier: its own address (as the request reached it)."""
    return flask_request.url_root.rstrip("/")


def fhir_base_url() -> str:
    return f"{issuer()}/fhir"


class _ClientAssertion(JWTBearerClientAssertion):
    """private_key_jwt (RFC 7523): a JWT signed with the client's key, for this token endpoint, used once."""

    def __init__(self) -> None:
        super().__init__(leeway=30)
        self._seen: set[str] = set()
        self._seen_lock = threading.Lock()

    def get_audiences(self) -> list[str]:
        return [f"{issuer()}/oauth/token", issuer()]

    def validate_jti(self, claims, jti) -> bool:
        with self._seen_lock:
            if f"{claims['sub']}:{jti}" in self._seen:
                return False
            self._seen.add(f"{claims['sub']}:{jti}")
            return True

    def process_assertion_claims(self, assertion, resolve_key):
        """As Authlib's, but with SMART's algorithms (RS384, ES384) besides joserfc's recommended ones."""
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=list(ASSERTION_ALGORITHMS))
        except JoseError as error:
            raise InvalidClientError(description=error.description) from error
        self.verify_claims(token.claims)
        return token.claims

    def resolve_client_public_key(self, client):
        pem = client.client_metadata.get("public_key", "")
        try:
            return RSAKey.import_key(pem)
        except (ValueError, TypeError):
            return ECKey.import_key(pem)


class _Issuer(IssuerParameter):
    def get_issuer(self) -> str:
        return issuer()


def smart_configuration() -> dict:
    """SMART App Launch 2's ``.well-known/smart-configuration`` of the sandbox (#24)."""
    return {
        "issuer": issuer(),
        "authorization_endpoint": f"{issuer()}/oauth/authorize",
        "token_endpoint": f"{issuer()}/oauth/token",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "scopes_supported": [READ_SCOPE, WRITE_SCOPE],
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
        "capabilities": ["launch-standalone", "client-confidential-symmetric", "context-standalone-patient"],
    }


def _revoke_grant(db, token: SandboxToken) -> None:
    """End every token of this patient and client (RFC 9700 4.14.2: refresh token reuse revokes the grant)."""
    now = int(time.time())
    db.query(SandboxToken).filter_by(client_id=token.client_id, user_id=token.user_id).update(
        {SandboxToken.refresh_token_revoked_at: now, SandboxToken.access_token_revoked_at: now}
    )
    db.commit()


def _token_generator(behaviour) -> BearerTokenGenerator:
    """Bearer tokens whose lifetime follows the live switch; the response names the patient (as SMART does)."""

    class Generator(BearerTokenGenerator):
        def generate(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
            token = super().generate(grant_type, client, user, scope, behaviour.token_lifetime, include_refresh_token)
            if user is not None:
                token["patient"] = patient_id(user.get_user_id())
            return token

    def new_token(**_kwargs) -> str:
        return secrets.token_urlsafe(32)

    return Generator(access_token_generator=new_token, refresh_token_generator=new_token)
