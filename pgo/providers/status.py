"""The patient's care providers as the providers page shows them: name, connection, last import, last problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from pgo.clock import as_utc
from pgo.i18n import _
from pgo.providers.config import Provider
from pgo.providers.errors import PERMISSION_WITHDRAWN, error_message
from pgo.providers.models import CONNECTED, NEEDS_CONSENT, ProviderConnection


@dataclass(frozen=True)
class ProviderStatus:
    id: str
    name: str
    connected: bool
    status_text: str
    last_import_at: datetime | None
    problem: str | None
    note: str | None = None  # what the patient should know about the connection itself (#24)


def provider_overview(*, session: Session, user_id: int, providers: list[Provider]) -> list[ProviderStatus]:
    """One line per configured provider, with the patient's connection to it (if any)."""
    rows = session.exec(select(ProviderConnection).where(ProviderConnection.user_id == user_id)).all()
    by_id = {row.provider_id: row for row in rows}
    return [_status(provider, by_id.get(provider.id)) for provider in providers]


def _status(provider: Provider, connection: ProviderConnection | None) -> ProviderStatus:
    if connection is None:
        return ProviderStatus(provider.id, provider.name, False, _("Not connected"), None, None)
    connected = connection.status == CONNECTED
    if connected:
        text = _("Connected")
    elif connection.status == NEEDS_CONSENT and connection.last_error == PERMISSION_WITHDRAWN:
        text = _("Permission withdrawn")
    elif connection.status == NEEDS_CONSENT:
        text = _("Permission needed again")
    else:
        text = _("Not connected")
    last = as_utc(connection.last_import_at) if connection.last_import_at else None
    problem = error_message(connection.last_error, provider.name) if connection.last_error else None
    note = None
    if connected and not connection.patient_reference:  # no SMART `patient`: searches go out without a filter
        note = _(
            "%(provider)s did not say which patient your permission is for. %(provider)s decides which records "
            "it sends.",
            provider=provider.name,
        )
    return ProviderStatus(provider.id, provider.name, connected, text, last, problem, note)
