"""Where a provider's authorization server lives, when the configuration names only its FHIR base (#24).

SMART App Launch 2 publishes the endpoints at ``{fhir base}/.well-known/smart-configuration``; other servers at
``{issuer}/.well-known/openid-configuration`` (OpenID Connect Discovery) or the RFC 8414 equivalent. Every
discovered endpoint must be https (or http on loopback), and an issuer the configuration names must match.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import requests

from pgo.providers.config import Provider, is_safe_url
from pgo.providers.errors import REJECTED, UNREACHABLE, ProviderError

TIMEOUT = (5, 15)
KEEP_SECONDS = 3600  # how long a discovered document is used before it is read again
_cache: dict[tuple[str, str], tuple[float, dict]] = {}
_lock = threading.Lock()


def resolve(provider: Provider, *, http: requests.Session | None = None) -> Provider:
    """The provider with its endpoints and issuer filled in; configured endpoints win over discovered ones."""
    if provider.authorize_url and provider.token_url:
        return provider
    document = _document(provider, http or requests.Session())
    endpoints = {key: document.get(key) for key in ("authorization_endpoint", "token_endpoint")}
    if not all(isinstance(url, str) and is_safe_url(url) for url in endpoints.values()):
        raise ProviderError(REJECTED, provider.name, "discovery: endpoints missing or not https")
    issuer = document.get("issuer") if isinstance(document.get("issuer"), str) else ""
    if provider.issuer and issuer and issuer.rstrip("/") != provider.issuer.rstrip("/"):
        raise ProviderError(REJECTED, provider.name, "discovery: another issuer")
    return replace(
        provider,
        authorize_url=endpoints["authorization_endpoint"],
        token_url=endpoints["token_endpoint"],
        issuer=provider.issuer or issuer,
        iss_required=document.get("authorization_response_iss_parameter_supported") is True,
    )


def _document(provider: Provider, http: requests.Session) -> dict:
    key = (provider.fhir_base_url, provider.issuer)
    with _lock:
        cached = _cache.get(key)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    document = None
    for url in _candidates(provider):
        document = _read(provider, http, url)
        if document is not None:
            break
    if document is None:
        raise ProviderError(REJECTED, provider.name, "discovery: no configuration found")
    with _lock:
        _cache[key] = (time.monotonic() + KEEP_SECONDS, document)
    return document


def _candidates(provider: Provider) -> list[str]:
    urls = [f"{provider.fhir_base_url}/.well-known/smart-configuration"]
    if provider.issuer:
        issuer = provider.issuer.rstrip("/")
        urls += [f"{issuer}/.well-known/openid-configuration", f"{issuer}/.well-known/oauth-authorization-server"]
    return urls


def _read(provider: Provider, http: requests.Session, url: str) -> dict | None:
    try:
        response = http.get(url, headers={"Accept": "application/json"}, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        raise ProviderError(UNREACHABLE, provider.name, f"discovery: {type(error).__name__}") from error
    if response.status_code >= 500:
        raise ProviderError(UNREACHABLE, provider.name, f"discovery: HTTP {response.status_code}")
    if response.status_code != 200:
        return None
    try:
        document = response.json()
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def forget() -> None:
    """Drop the discovered documents (tests; a changed configuration is read again after KEEP_SECONDS anyway)."""
    with _lock:
        _cache.clear()
