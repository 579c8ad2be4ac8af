"""Connecting a care provider (the MedMij pattern): the app is the OAuth2 client, the provider serves FHIR.

A view is thin: ``begin_connection`` -> redirect; on the callback ``finish_connection`` + ``save_connection`` +
``sync_provider`` -> a report page. No Flask here.
"""

from pgo.providers.client import TokenSet, begin_connection, fetch_patient_resources, finish_connection, refresh
from pgo.providers.config import Provider, configured_providers, load_providers, sandbox_provider
from pgo.providers.errors import ProviderError
from pgo.providers.service import SyncReport, save_connection, sync_provider

__all__ = [
    "Provider",
    "ProviderError",
    "SyncReport",
    "TokenSet",
    "begin_connection",
    "configured_providers",
    "fetch_patient_resources",
    "finish_connection",
    "load_providers",
    "refresh",
    "sandbox_provider",
    "save_connection",
    "sync_provider",
]
