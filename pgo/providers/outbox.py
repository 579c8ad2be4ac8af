"""The patient's side of sending (#20, 2026-12-03): one function per thing a page does, and the rows it shows.

``send`` (and ``send_readings`` / ``send_questionnaire`` / ``send_decision``) queue and deliver at once;
``send_waiting`` tries what waits again and first adds what is sent by itself (a measurement plan's new readings
when the patient chose automatic sending). What each kind is, the features say in the manifest (#19,
pgo.providers.sendables): the outbox imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from pgo.clock import utcnow
from pgo.i18n import _
from pgo.localtime import local_day
from pgo.providers.config import Provider
from pgo.providers.errors import error_message
from pgo.providers.models import SENT, SentItem
from pgo.providers.sendables import Sendable, sendable, sendables
from pgo.providers.sending import (
    DeliveryReport,
    Outgoing,
    deliver,
    is_allowed,
    queue,
    send_consent,
)


def _queue_and_deliver(session: Session, user_id: int, provider: Provider, secret_key: str, items: list[Outgoing]):
    queue(session=session, user_id=user_id, provider_id=provider.id, provider_name=provider.name, items=items)
    session.commit()  # queued is kept, whatever the delivery does
    return deliver(session=session, user_id=user_id, provider=provider, secret_key=secret_key)


def send(
    kind: str, *, session: Session, user_id: int, provider: Provider, secret_key: str, **what
) -> tuple[int, DeliveryReport]:
    """Queue what the patient chose of one kind (see ``Sendable.choose``) and send; (how many, report)."""
    chosen = _sendable(kind).choose(session=session, user_id=user_id, provider_id=provider.id, **what)
    if not chosen:
        return 0, DeliveryReport()
    return len(chosen), _queue_and_deliver(session, user_id, provider, secret_key, chosen)


def send_readings(
    *, session: Session, user_id: int, provider: Provider, secret_key: str, ids=None, start=None, end=None
) -> tuple[int, DeliveryReport]:
    """Queue the patient's readings (by id, or in [start, end)) and send; (how many were chosen, report)."""
    return send("measurement", session=session, user_id=user_id, provider=provider, secret_key=secret_key,
                ids=ids, start=start, end=end)  # fmt: skip


def send_questionnaire(*, session: Session, user_id: int, provider: Provider, secret_key: str, offer_id: int):
    return send("questionnaire", session=session, user_id=user_id, provider=provider, secret_key=secret_key,
                item_id=offer_id)[1]  # fmt: skip


def send_decision(*, session: Session, user_id: int, provider: Provider, secret_key: str, response_id: int):
    return send("decision", session=session, user_id=user_id, provider=provider, secret_key=secret_key,
                item_id=response_id)[1]  # fmt: skip


def _sendable(kind: str) -> Sendable:
    found = sendable(kind)
    if found is None:
        raise LookupError(kind)
    return found


def send_waiting(
    *, session: Session, user_id: int, provider: Provider, secret_key: str, today: date | None = None
) -> DeliveryReport:
    """Add what is sent by itself (a measurement plan's new readings, when the patient chose automatic sending),
    then send everything that waits."""
    for found in sendables():
        if found.automatic is None:
            continue
        consent = send_consent(session=session, user_id=user_id, provider_id=provider.id, category=found.category)
        if consent and consent.allowed and consent.automatic:
            items = found.automatic(
                session=session, user_id=user_id, since=consent.changed_at, today=today or local_day(utcnow())
            )
            if items:
                queue(session=session, user_id=user_id, provider_id=provider.id, provider_name=provider.name,
                      items=items)  # fmt: skip
                session.commit()
    return deliver(session=session, user_id=user_id, provider=provider, secret_key=secret_key)


def page_parts(*, session: Session, user_id: int, provider_id: str) -> dict[str, Any]:
    """Each kind's part of the sending page (what the patient may choose to send)."""
    parts: dict[str, Any] = {}
    for found in sendables():
        parts.update(found.page(session=session, user_id=user_id, provider_id=provider_id))
    return parts


@dataclass(frozen=True)
class SentRow:
    """One item on the sending page: what, and where it stands, in the reader's words."""

    kind: str
    title: str
    moment: datetime | None  # when it was measured or answered
    sent: bool
    sent_at: datetime | None
    status_text: str


def sent_rows(*, session: Session, items: list[SentItem], provider: Provider) -> list[SentRow]:
    allowed = {
        category: is_allowed(session=session, user_id=item.user_id, provider_id=provider.id, category=category)
        for item in items[:1]
        for category in ("measurements", "questionnaires", "decisions")
    }
    return [_row(item, provider, allowed.get(item.category, False)) for item in items]


def _row(item: SentItem, provider: Provider, allowed: bool) -> SentRow:
    if item.status == SENT:
        text = _("Sent to %(provider)s.", provider=provider.name)
    elif not allowed:
        text = _("Not sent: you took back your permission to send this.")
    elif item.last_error:
        text = _("Not sent yet. %(reason)s pgo tries again when you choose 'Try again now' or fetch your records.",
                 reason=error_message(item.last_error, provider.name))  # fmt: skip
    else:
        text = _("Waiting to be sent.")
    return SentRow(item.kind, _title(item), _moment(item), item.status == SENT, item.sent_at, text)


def _title(item: SentItem) -> str:
    found = sendable(item.kind)
    return found.title(item.title) if found is not None else item.title


def _moment(item: SentItem) -> datetime | None:
    raw = item.resource.get("effectiveDateTime") or item.resource.get("authored")
    try:
        return datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
