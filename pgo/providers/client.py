"""The OAuth2 client side: authorization code with PKCE (S256) and state, token exchange, refresh, FHIR reads."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT

from pgo.clock import utcnow
from pgo.providers.config import PRIVATE_KEY_JWT, Provider
from pgo.providers.discovery import resolve
from pgo.providers.errors import (
    CONSENT_REFUSED,
    NEEDS_CONSENT,
    PERMISSION_WITHDRAWN,
    REJECTED,
    STATE_MISMATCH,
    TOKEN_EXPIRED,
    UNREACHABLE,
    UNREADABLE,
    ProviderError,
)
from pgo.providers.queries import STU3, queries_for, version_of

TIMEOUT = (5, 30)  # connect, read (seconds)
PAGE_SIZE = 50
MAX_PAGES = 200
EXPIRY_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class TokenSet:
    """What the provider gave: the tokens, when the access token ends, the scope and the patient (if named)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    scope: str = ""
    patient: str | None = None

    @classmethod
    def from_response(cls, token: dict, *, now: datetime | None = None) -> TokenSet:
        if not isinstance(token.get("access_token"), str) or not token["access_token"]:
            raise ValueError("no access token in the response")
        expires_in = token.get("expires_in")
        expires_at = None
        if isinstance(expires_in, int | float):
            expires_at = (now or utcnow()) + timedelta(seconds=expires_in)
        patient = token.get("patient")
        return cls(
            access_token=token["access_token"],
            refresh_token=token.get("refresh_token") or None,
            expires_at=expires_at,
            scope=str(token.get("scope") or ""),
            patient=patient if isinstance(patient, str) else None,
        )

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow()) + EXPIRY_MARGIN


def _oauth_session(provider: Provider, redirect_uri: str | None = None, *, scope: str | None = None) -> OAuth2Session:
    """A session that authenticates at the token endpoint the way the provider is configured for (#24)."""
    secret = provider.client_secret
    if provider.token_endpoint_auth_method == PRIVATE_KEY_JWT:
        try:
            secret = Path(provider.private_key_file).read_text(encoding="utf-8")
        except OSError as error:
            raise ProviderError(REJECTED, provider.name, f"private key unreadable: {type(error).__name__}") from error
    client = OAuth2Session(
        client_id=provider.client_id,
        client_secret=secret,
        scope=scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=provider.token_endpoint_auth_method,
    )
    if provider.token_endpoint_auth_method == PRIVATE_KEY_JWT:
        headers = {"kid": provider.private_key_id} if provider.private_key_id else None
        client.register_client_auth_method(
            PrivateKeyJWT(provider.token_url, headers=headers, alg=provider.private_key_alg)
        )
    return client


def begin_connection(provider: Provider, redirect_uri: str) -> tuple[str, str, str]:
    """The provider's sign-in and consent address, the state and the PKCE code verifier (keep both in the session).

    The provider's extra authorization parameters go along (SMART's ``aud``, ``prompt``, RFC 8707 ``resource``).
    """
    provider = resolve(provider)
    code_verifier = generate_token(64)
    state = secrets.token_urlsafe(32)
    with _oauth_session(provider, redirect_uri, scope=provider.scope) as client:
        url, state = client.create_authorization_url(
            provider.authorize_url, state=state, code_verifier=code_verifier, **provider.extra_authorization_params
        )
    return url, state, code_verifier


def finish_connection(
    provider: Provider,
    redirect_uri: str,
    *,
    code: str | None,
    state: str | None,
    expected_state: str,
    code_verifier: str,
    error: str | None = None,
    iss: str | None = None,
) -> TokenSet:
    """Check the callback (state, RFC 9207 ``iss``, error) and exchange the code for tokens. Raises ProviderError.

    An ``iss`` that is not the provider's issuer means the answer comes from another server (a mix-up attack):
    refused, whatever else it says. A callback without ``iss`` is accepted unless the server's discovered metadata
    says it sends one (``authorization_response_iss_parameter_supported``).
    """
    if not state or not expected_state or not secrets.compare_digest(state, expected_state):
        raise ProviderError(STATE_MISMATCH, provider.name, "state does not match")
    provider = resolve(provider)
    if iss is not None and provider.issuer and iss.rstrip("/") != provider.issuer.rstrip("/"):
        raise ProviderError(REJECTED, provider.name, "iss is not the provider's issuer")
    if iss is None and provider.iss_required:  # RFC 9207 2.4: its metadata promised an iss
        raise ProviderError(REJECTED, provider.name, "no iss from a server that sends it")
    if error:
        raise ProviderError(CONSENT_REFUSED if error == "access_denied" else REJECTED, provider.name, error)
    if not code:
        raise ProviderError(REJECTED, provider.name, "no code in the callback")
    with _oauth_session(provider, redirect_uri) as client:
        return _token_call(
            provider,
            REJECTED,
            lambda: client.fetch_token(provider.token_url, code=code, code_verifier=code_verifier, timeout=TIMEOUT),
        )


def refresh(provider: Provider, refresh_token: str | None) -> TokenSet:
    """New tokens from a refresh token, asking for no scope (#24).

    RFC 6749 section 6: a refresh may not ask for more than was granted, and the configured scopes may be more
    (a server may leave out ``offline_access``); without ``scope`` the server keeps the granted one. Only
    ``invalid_grant`` means the grant is gone (PERMISSION_WITHDRAWN: the patient connects again); a server
    that is down or busy loses nothing (UNREACHABLE), any other refusal keeps the tokens (REJECTED).
    """
    if not refresh_token:
        raise ProviderError(NEEDS_CONSENT, provider.name, "no refresh token")
    provider = resolve(provider)
    with _oauth_session(provider) as client:
        return _token_call(
            provider,
            REJECTED,
            lambda: client.refresh_token(provider.token_url, refresh_token=refresh_token, timeout=TIMEOUT),
            grant_gone=PERMISSION_WITHDRAWN,
        )


SERVER_BUSY = ("server_error", "temporarily_unavailable")


def _token_call(provider: Provider, refused_kind: str, call, *, grant_gone: str | None = None) -> TokenSet:
    try:
        response = call()
    except OAuthError as error:
        if error.error in SERVER_BUSY:
            raise ProviderError(UNREACHABLE, provider.name, str(error.error)) from error
        kind = grant_gone if grant_gone and error.error == "invalid_grant" else refused_kind
        raise ProviderError(kind, provider.name, str(error.error)) from error
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, type(error).__name__) from error
    except ValueError as error:  # not JSON, or not a token response
        raise ProviderError(_status_kind(error) or UNREADABLE, provider.name, str(error)[:200]) from error
    try:
        return TokenSet.from_response(dict(response))
    except (TypeError, ValueError) as error:
        raise ProviderError(UNREADABLE, provider.name, str(error)) from error


def _status_kind(error: Exception) -> str | None:
    """Authlib reads the body as JSON before looking at the status: a 5xx page becomes a ValueError."""
    response = getattr(error, "response", None)
    return UNREACHABLE if response is not None and response.status_code >= 500 else None


def fetch_patient_resources(
    provider: Provider, token: TokenSet, *, http: requests.Session | None = None
) -> Iterator[dict]:
    """Every resource of the patient the token is for, asked the MedMij way (#20): the query set of each data
    service the provider offers in its FHIR version, following the search pages, then the Questionnaires the
    Tasks point to and the Binaries the documents point to. Each resource once, also when two searches find it.

    No search names the patient: a MedMij server takes the patient from the token. A search the server does not
    define (400) or a type it does not hold (404) is skipped.
    """
    http = http or requests.Session()
    headers = {"Authorization": f"Bearer {token.access_token}", "Accept": "application/fhir+json"}
    version = provider.fhir_version or _server_version(provider, http, headers)
    seen: set[tuple[str, str]] = set()
    found: list[dict] = []
    for query in queries_for(version, provider.data_services):
        url = f"{provider.fhir_base_url}/{query.path}?{query.url_query}" if query.params else None
        url = url or f"{provider.fhir_base_url}/{query.path}"
        for resource in _search(provider, http, headers, url, {"_count": str(PAGE_SIZE)}, include=True):
            if _first_time(seen, resource):
                found.append(resource)
                yield resource
    for reference in _referenced(found):
        if reference not in seen:
            resource = _read(provider, http, headers, reference)
            if resource is not None and _first_time(seen, resource):
                yield resource


def _first_time(seen: set[tuple[str, str]], resource: dict) -> bool:
    key = (resource["resourceType"], str(resource.get("id")))
    if key in seen:
        return False
    seen.add(key)
    return True


def _referenced(resources: list[dict]) -> list[tuple[str, str]]:
    """What the found resources point to and MedMij reads separately: a Task's Questionnaire, a document's Binary
    (relative references only: never a read on another server)."""
    wanted: list[tuple[str, str]] = []
    for resource in resources:
        if resource["resourceType"] == "Task":
            values = [item.get("valueReference") for item in resource.get("input") or [] if isinstance(item, dict)]
            references = [value.get("reference") for value in values if isinstance(value, dict)]
            references.append((resource.get("focus") or {}).get("reference"))
        elif resource["resourceType"] == "DocumentReference":
            attachments = [(content or {}).get("attachment") or {} for content in resource.get("content") or []]
            references = [attachment.get("url") for attachment in attachments if isinstance(attachment, dict)]
        else:
            continue
        for reference in references:
            kind, _slash, ident = str(reference or "").partition("/")
            if kind in ("Questionnaire", "Binary") and ident and "/" not in ident and (kind, ident) not in wanted:
                wanted.append((kind, ident))
    return wanted


def server_version(provider: Provider, token: TokenSet, *, http: requests.Session | None = None) -> str:
    """The provider's FHIR version (STU3 or R4) as its CapabilityStatement gives it for this token."""
    headers = {"Authorization": f"Bearer {token.access_token}", "Accept": "application/fhir+json"}
    return _server_version(provider, http or requests.Session(), headers)


def _server_version(provider: Provider, http: requests.Session, headers: dict) -> str:
    """STU3 or R4 from the server's CapabilityStatement; STU3 (what MedMij exchanges today) when it does not say."""
    try:
        response = http.get(f"{provider.fhir_base_url}/metadata", headers=headers, timeout=TIMEOUT)
        body = response.json() if response.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        body = {}
    found = version_of(str(body.get("fhirVersion") or "")) if isinstance(body, dict) else None
    return found or STU3


def _read(provider: Provider, http: requests.Session, headers: dict, reference: tuple[str, str]) -> dict | None:
    url = f"{provider.fhir_base_url}/{reference[0]}/{reference[1]}"
    try:
        response = http.get(url, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, type(error).__name__) from error
    if response.status_code == 401:
        raise ProviderError(TOKEN_EXPIRED, provider.name, response.headers.get("WWW-Authenticate", ""))
    if response.status_code in (403, 404, 410):
        return None
    if response.status_code != 200:
        raise ProviderError(UNREACHABLE if response.status_code >= 500 else UNREADABLE, provider.name, "read failed")
    try:
        resource = response.json()
    except ValueError as error:
        raise ProviderError(UNREADABLE, provider.name, "not JSON") from error
    if not isinstance(resource, dict) or resource.get("resourceType") != reference[0]:
        raise ProviderError(UNREADABLE, provider.name, "not the resource asked for")
    return resource


def _search(
    provider: Provider, http: requests.Session, headers: dict, url: str, params: dict | None, *, include: bool = False
) -> Iterator[dict]:
    seen: set[str] = set()
    for _page in range(MAX_PAGES):
        bundle = _get_json(provider, http, headers, url, params)
        if bundle is None:
            return
        for entry in bundle.get("entry") or []:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
                raise ProviderError(UNREADABLE, provider.name, "entry without a resource")
            if entry.get("search", {}).get("mode", "match") == "match" or include:
                yield resource
        url = _next_link(provider, bundle)
        if url is None or url in seen:
            return
        seen.add(url)
        params = None
    raise ProviderError(UNREADABLE, provider.name, "too many pages")


def _get_json(provider: Provider, http: requests.Session, headers: dict, url: str, params: dict | None) -> dict | None:
    try:
        response = http.get(url, params=params, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, type(error).__name__) from error
    if response.status_code == 401:
        raise ProviderError(TOKEN_EXPIRED, provider.name, response.headers.get("WWW-Authenticate", ""))
    if response.status_code in (400, 404, 405):  # this provider does not offer that type
        return None
    if response.status_code == 403:
        raise ProviderError(NEEDS_CONSENT, provider.name, "forbidden")
    if response.status_code >= 500 or response.status_code in (408, 429):
        raise ProviderError(UNREACHABLE, provider.name, f"HTTP {response.status_code}")
    try:
        bundle = response.json()
    except ValueError as error:
        raise ProviderError(UNREADABLE, provider.name, "not JSON") from error
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle" or response.status_code != 200:
        raise ProviderError(UNREADABLE, provider.name, "not a FHIR Bundle")
    if not isinstance(bundle.get("entry", []), list):
        raise ProviderError(UNREADABLE, provider.name, "entry is not a list")
    return bundle


def _next_link(provider: Provider, bundle: dict) -> str | None:
    """The next page, only on the provider's own FHIR server (the token must never go elsewhere)."""
    links = bundle.get("link") or []
    url = next((link.get("url") for link in links if isinstance(link, dict) and link.get("relation") == "next"), None)
    if not isinstance(url, str):
        return None
    base, target = urlsplit(provider.fhir_base_url), urlsplit(url)
    if (target.scheme, target.netloc) != (base.scheme, base.netloc) or not target.path.startswith(base.path):
        raise ProviderError(UNREADABLE, provider.name, "next page on another server")
    return url


def create_resource(
    provider: Provider, token: TokenSet, resource: dict, *, identifier: str, http: requests.Session | None = None
) -> str:
    """Create ``resource`` at the provider unless it already holds one with this identifier (#20): a FHIR
    conditional create (``If-None-Exist``), so sending again after a lost answer makes no second copy.

    Returns the id the provider gave it (or "" when it does not say). Raises ProviderError: TOKEN_EXPIRED (401),
    NEEDS_CONSENT (403), REJECTED (the provider refuses the content), UNREACHABLE (down, busy, or no answer).
    """
    http = http or requests.Session()
    headers = {
        "Authorization": f"Bearer {token.access_token}",
        "Accept": "application/fhir+json",
        "Content-Type": "application/fhir+json",
        "If-None-Exist": f"identifier={identifier}",
    }
    url = f"{provider.fhir_base_url}/{resource['resourceType']}"
    try:
        response = http.post(url, json=resource, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, type(error).__name__) from error
    status = response.status_code
    if status in (200, 201, 412):  # created, already there, or (412) more than one already there
        return _created_id(response)
    if status == 401:
        raise ProviderError(TOKEN_EXPIRED, provider.name, response.headers.get("WWW-Authenticate", ""))
    if status == 403:
        raise ProviderError(NEEDS_CONSENT, provider.name, "forbidden")
    if status >= 500 or status in (408, 429):
        raise ProviderError(UNREACHABLE, provider.name, f"HTTP {status}")
    raise ProviderError(REJECTED, provider.name, f"HTTP {status}")


# Task.output's type for the answers (SDC's temporary code system, which MedMij Vragenlijsten follows).
SDC_TEMP = "http://hl7.org/fhir/uv/sdc/CodeSystem/temp"


def complete_task(
    provider: Provider, token: TokenSet, task_id: str, response_id: str, *, http: requests.Session | None = None
) -> None:
    """Mark the provider's questionnaire Task done, with the sent answers as its output (#20): the provider's to-do
    list then shows the questionnaire as answered. A read, then an update (PUT, with the version read when the
    server gives an ETag). Doing it again changes nothing. A Task the provider no longer has (404, 410) is left
    alone: the answers arrived. Raises ProviderError as ``create_resource`` does."""
    http = http or requests.Session()
    headers = {"Authorization": f"Bearer {token.access_token}", "Accept": "application/fhir+json"}
    url = f"{provider.fhir_base_url}/Task/{task_id}"
    try:
        found = http.get(url, headers=headers, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, type(error).__name__) from error
    if found.status_code in (404, 410):
        return
    _raise_for_write(provider, found)
    try:
        task = found.json()
    except ValueError as error:
        raise ProviderError(REJECTED, provider.name, "the Task is not JSON") from error
    reference = f"QuestionnaireResponse/{response_id}" if response_id else ""
    outputs = [o for o in task.get("output") or [] if isinstance(o, dict)]
    answered = not reference or any((o.get("valueReference") or {}).get("reference") == reference for o in outputs)
    if task.get("status") == "completed" and answered:
        return
    task["status"] = "completed"
    if not answered:
        output_type = {"coding": [{"system": SDC_TEMP, "code": "questionnaire-response"}], "text": "Answers"}
        task["output"] = [*outputs, {"type": output_type, "valueReference": {"reference": reference}}]
    update = {**headers, "Content-Type": "application/fhir+json"}
    if found.headers.get("ETag"):
        update["If-Match"] = found.headers["ETag"]
    try:
        response = http.put(url, json=task, headers=update, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, type(error).__name__) from error
    _raise_for_write(provider, response)


def _raise_for_write(provider: Provider, response: requests.Response) -> None:
    status = response.status_code
    if status < 300:
        return
    if status == 401:
        raise ProviderError(TOKEN_EXPIRED, provider.name, response.headers.get("WWW-Authenticate", ""))
    if status == 403:
        raise ProviderError(NEEDS_CONSENT, provider.name, "forbidden")
    if status >= 500 or status in (408, 409, 412, 429):  # 409/412: changed meanwhile; the next try reads it anew
        raise ProviderError(UNREACHABLE, provider.name, f"HTTP {status}")
    raise ProviderError(REJECTED, provider.name, f"HTTP {status}")


def _created_id(response: requests.Response) -> str:
    location = response.headers.get("Location", "")
    if "/" in location:  # [base]/Type/id[/_history/v]
        parts = location.split("/_history/")[0].rstrip("/").split("/")
        return parts[-1]
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("id") or "") if isinstance(body, dict) else ""
