"""Which care providers the app can connect to, from a YAML or JSON list modelled on MedMij's provider list."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_SCOPES = ("patient/*.read",)
SANDBOX_ID = "sandbox"
CALLBACK_PATH = "/records/providers/callback"


class ProviderConfigError(ValueError):
    """The provider list cannot be used."""


@dataclass(frozen=True)
class Provider:
    """One care provider: where to ask for consent, where to get tokens, where its FHIR API lives."""

    id: str
    name: str
    authorize_url: str
    token_url: str
    fhir_base_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: tuple[str, ...] = DEFAULT_SCOPES

    @property
    def scope(self) -> str:
        return " ".join(self.scopes)


REQUIRED = ("id", "name", "authorize_url", "token_url", "fhir_base_url", "client_id", "client_secret")


def _provider(entry: Mapping) -> Provider:
    missing = [key for key in REQUIRED if not str(entry.get(key) or "").strip()]
    if missing:
        raise ProviderConfigError(f"provider {entry.get('id', '?')!r} lacks {', '.join(missing)}")
    scopes = entry.get("scopes") or DEFAULT_SCOPES
    if isinstance(scopes, str):
        scopes = scopes.split()
    values = {key: str(entry[key]).strip() for key in REQUIRED}
    values["fhir_base_url"] = values["fhir_base_url"].rstrip("/")
    return Provider(**values, scopes=tuple(scopes))


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
