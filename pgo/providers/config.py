"""Which care providers the app can connect to, from a YAML or JSON list modelled on MedMij's provider list."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from pgo.providers.queries import SERVICES, VERSIONS

DEFAULT_SCOPES = ("patient/*.read",)
WRITE_SCOPE = "patient/*.write"  # sending measurements and answers back (#20)
SANDBOX_ID = "sandbox"
CALLBACK_PATH = "/records/providers/callback"


class ProviderConfigError(ValueError):
    """The provider list cannot be used."""


CLIENT_SECRET_BASIC = "client_secret_basic"  # noqa: S105 (a method name)
CLIENT_SECRET_POST = "client_secret_post"  # noqa: S105 (a method name)
PRIVATE_KEY_JWT = "private_key_jwt"
AUTH_METHODS = (CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT)
KEY_ALGORITHMS = ("RS384", "ES384", "RS256", "ES256")  # SMART asks servers for RS384 and ES384
# What pgo sets itself in the authorization request: a provider's extra parameters may not replace these.
OWN_PARAMETERS = frozenset(
    {"response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"}
)


@dataclass(frozen=True)
class Provider:
    """One care provider: where to ask for consent, where to get tokens, where its FHIR API lives, and how.

    ``authorize_url`` and ``token_url`` may be empty: they are then discovered (``discovery.resolve``) from the
    FHIR base's ``.well-known/smart-configuration`` or the issuer's ``.well-known/openid-configuration`` (#24).
    ``authorization_params`` are added to the authorization request (``aud`` is the FHIR base unless set);
    ``issuer`` is the authorization server's identifier, checked against RFC 9207's ``iss`` in the callback.
    """

    id: str
    name: str
    authorize_url: str
    token_url: str
    fhir_base_url: str
    client_id: str
    client_secret: str = field(default="", repr=False)
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    authorization_params: tuple[tuple[str, str], ...] = ()
    token_endpoint_auth_method: str = CLIENT_SECRET_BASIC
    private_key_file: str = ""
    private_key_id: str = ""
    private_key_alg: str = "RS384"
    issuer: str = ""
    iss_required: bool = False  # the server's metadata says it sends RFC 9207's iss: a callback without it is refused
    fhir_version: str = ""  # "STU3" or "R4"; empty: the server's CapabilityStatement says (#20)
    data_services: tuple[str, ...] = SERVICES  # the MedMij data services asked (queries.SERVICES)

    @property
    def scope(self) -> str:
        return " ".join(self.scopes)

    @property
    def extra_authorization_params(self) -> dict[str, str]:
        """The provider's extra parameters, with SMART's ``aud`` (the FHIR base) unless the provider set it
        (an empty value leaves it out)."""
        params = {"aud": self.fhir_base_url, **dict(self.authorization_params)}
        return {key: value for key, value in params.items() if value}


REQUIRED = ("id", "name", "fhir_base_url", "client_id")
OPTIONAL = ("authorize_url", "token_url", "client_secret", "private_key_file", "private_key_id", "issuer")


def _provider(entry: Mapping) -> Provider:
    name = entry.get("id", "?")
    missing = [key for key in REQUIRED if not str(entry.get(key) or "").strip()]
    if missing:
        raise ProviderConfigError(f"provider {name!r} lacks {', '.join(missing)}")
    scopes = entry.get("scopes") or DEFAULT_SCOPES
    if isinstance(scopes, str):
        scopes = scopes.split()
    values = {key: str(entry[key]).strip() for key in REQUIRED}
    values.update({key: str(entry.get(key) or "").strip() for key in OPTIONAL})
    values["fhir_base_url"] = values["fhir_base_url"].rstrip("/")
    method = str(entry.get("token_endpoint_auth_method") or CLIENT_SECRET_BASIC).strip()
    if method not in AUTH_METHODS:
        raise ProviderConfigError(f"provider {name!r}: token_endpoint_auth_method must be one of {AUTH_METHODS}")
    if method == PRIVATE_KEY_JWT and not values["private_key_file"]:
        raise ProviderConfigError(f"provider {name!r}: private_key_jwt needs private_key_file")
    if method != PRIVATE_KEY_JWT and not values["client_secret"]:
        raise ProviderConfigError(f"provider {name!r} lacks client_secret")
    alg = str(entry.get("private_key_alg") or "RS384").strip()
    if alg not in KEY_ALGORITHMS:
        raise ProviderConfigError(f"provider {name!r}: private_key_alg must be one of {KEY_ALGORITHMS}")
    if bool(values["authorize_url"]) != bool(values["token_url"]):
        raise ProviderConfigError(f"provider {name!r}: give both authorize_url and token_url, or neither")
    for key in ("authorize_url", "token_url", "fhir_base_url", "issuer"):
        if values[key] and not is_safe_url(values[key]):
            raise ProviderConfigError(f"provider {name!r}: {key} must be https (or http on loopback)")
    return Provider(
        **values,
        **_medmij(name, entry),
        scopes=tuple(scopes),
        authorization_params=_authorization_params(name, entry.get("authorization_params")),
        token_endpoint_auth_method=method,
        private_key_alg=alg,
    )


def _medmij(name: str, entry: Mapping) -> dict:
    """The FHIR version and the data services (#20): both optional."""
    version = str(entry.get("fhir_version") or "").strip().upper()
    if version and version not in VERSIONS:
        raise ProviderConfigError(f"provider {name!r}: fhir_version must be one of {VERSIONS}")
    services = entry.get("data_services") or SERVICES
    services = tuple(services.split() if isinstance(services, str) else (str(s) for s in services))
    unknown = sorted(set(services) - set(SERVICES))
    if unknown:
        raise ProviderConfigError(f"provider {name!r}: unknown data_services {', '.join(unknown)}")
    return {"fhir_version": version, "data_services": services}


def _authorization_params(name: str, params) -> tuple[tuple[str, str], ...]:
    if params is None:
        return ()
    if not isinstance(params, Mapping):
        raise ProviderConfigError(f"provider {name!r}: authorization_params must be a mapping")
    clash = sorted(OWN_PARAMETERS & set(params))
    if clash:
        raise ProviderConfigError(f"provider {name!r}: authorization_params may not set {', '.join(clash)}")
    return tuple((str(key), "" if value is None else str(value)) for key, value in params.items())


def is_safe_url(url: str) -> bool:
    """https, or http on the machine itself (the sandbox, tests): tokens and codes never travel in the clear."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")


def load_providers(path: Path | str) -> list[Provider]:
    """Providers from a file holding a list, or a mapping with a ``providers`` list (YAML or JSON)."""
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    entries = data.get("providers") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ProviderConfigError("the provider file must hold a list of providers")
    providers = [_provider(entry) for entry in entries if isinstance(entry, Mapping)]
    ids = [provider.id for provider in providers]
    if len(set(ids)) != len(ids):
        raise ProviderConfigError("provider ids must be unique")
    return providers


def sandbox_provider(
    base_url: str,
    client_id: str = "pgo-demo",
    client_secret: str = "pgo-demo-secret",  # noqa: S107 (the public demo secret)
) -> Provider:
    """The entry for `pgo sandbox` running at ``base_url`` (what `make run` configures)."""
    base = base_url.rstrip("/")
    return Provider(
        id=SANDBOX_ID,
        name="Zorgaanbieder Sandbox",
        authorize_url=f"{base}/oauth/authorize",
        token_url=f"{base}/oauth/token",
        fhir_base_url=f"{base}/fhir",
        client_id=client_id,
        client_secret=client_secret,
        scopes=(*DEFAULT_SCOPES, WRITE_SCOPE),
    )


def configured_providers(environ: Mapping[str, str] | None = None) -> list[Provider]:
    """PGO_PROVIDERS_FILE's providers, plus the sandbox when PGO_SANDBOX_URL is set."""
    environ = os.environ if environ is None else environ
    providers = load_providers(environ["PGO_PROVIDERS_FILE"]) if environ.get("PGO_PROVIDERS_FILE") else []
    if environ.get("PGO_SANDBOX_URL") and all(p.id != SANDBOX_ID for p in providers):
        providers.append(
            sandbox_provider(
                environ["PGO_SANDBOX_URL"],
                environ.get("PGO_SANDBOX_CLIENT_ID", "pgo-demo"),
                environ.get("PGO_SANDBOX_CLIENT_SECRET", "pgo-demo-secret"),
            )
        )
    return providers


def find_provider(providers: list[Provider], provider_id: str) -> Provider | None:
    return next((provider for provider in providers if provider.id == provider_id), None)
