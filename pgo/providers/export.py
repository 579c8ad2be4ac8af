"""What pgo sent to providers, in the patient's export (#20, 2026-12-03): one FHIR R4 Communication per item.

A Communication says who received what and when: ``recipient`` the provider, ``payload`` the resource sent (by
its identifier, the one the provider holds it under), ``sent`` the moment the provider had it; an item that still
waits is ``in-progress`` with the reason of the last failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, col, select

from pgo.clock import as_utc
from pgo.providers.models import SENT, SentItem
from pgo.providers.sending import URI_SYSTEM

WHAT = {"measurement": "Home measurement", "questionnaire": "Answers to a questionnaire", "decision": "Decision aid"}


def communication(item: SentItem) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": f"pgo-sent-{item.id}",
        "identifier": [{"system": URI_SYSTEM, "value": item.identifier}],
        "status": "completed" if item.status == SENT else "in-progress",
        "category": [{"text": WHAT.get(item.kind, item.kind)}],
        "subject": {"reference": f"Patient/{item.user_id}"},
        "recipient": [{"display": item.provider_name or item.provider_id}],
        "payload": [
            {
                "contentReference": {
                    "type": item.resource_type,
                    "identifier": {"system": URI_SYSTEM, "value": item.identifier},
                    "display": item.title,
                }
            }
        ],
    }
    if item.sent_at:
        resource["sent"] = as_utc(item.sent_at).isoformat()
    elif item.last_error:
        resource["statusReason"] = {"text": f"not sent yet ({item.last_error}, {item.attempts} attempts)"}
    return resource


def fhir_resources_for_export(*, session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    query = select(SentItem).where(SentItem.user_id == user_id).order_by(col(SentItem.id))
    for item in session.exec(query):
        yield communication(item)
