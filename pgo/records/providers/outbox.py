"""The patient's side of sending (#20, 2026-12-03): one function per thing a page does, and the rows it shows.

``send_readings`` / ``send_questionnaire`` / ``send_decision`` queue and deliver at once; ``send_waiting`` tries
what waits again and first adds a measurement plan's new readings when the patient chose automatic sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from pgo.i18n import _
from pgo.records.providers.config import Provider
from pgo.records.providers.errors import error_message
from pgo.records.providers.models import MEASUREMENTS, SENT, SentItem
from pgo.records.providers.sending import (
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


def send_readings(
    *, session: Session, user_id: int, provider: Provider, secret_key: str, ids=None, start=None, end=None
) -> tuple[int, DeliveryReport]:
    """Queue the patient's readings (by id, or in [start, end)) and send; (how many were chosen, report)."""
    from pgo.measurements import sending

    chosen = sending.readings(session=session, user_id=user_id, ids=ids, start=start, end=end)
    if not chosen:
        return 0, DeliveryReport()
    items = [sending.outgoing(m) for m in chosen]
    return len(chosen), _queue_and_deliver(session, user_id, provider, secret_key, items)


def send_questionnaire(*, session: Session, user_id: int, provider: Provider, secret_key: str, offer_id: int):
    from pgo.questionnaires import sending, store

    offer = store.owned_offer(session=session, offer_id=offer_id, user_id=user_id)
    if offer.source != provider.id:
        raise store.OfferNotFound(offer_id)
    return _queue_and_deliver(session, user_id, provider, secret_key, [sending.outgoing(offer)])


def send_decision(*, session: Session, user_id: int, provider: Provider, secret_key: str, response_id: int):
    from pgo.decisions import sending
    from pgo.decisions.models import DecisionResponse

    response = session.get(DecisionResponse, response_id)
    if response is None or response.user_id != user_id:
        raise LookupError(response_id)
    return _queue_and_deliver(session, user_id, provider, secret_key, [sending.outgoing(response)])


def send_waiting(
    *, session: Session, user_id: int, provider: Provider, secret_key: str, today: date | None = None
) -> DeliveryReport:
    """Add the plan's new readings (automatic sending), then send everything that waits."""
    from pgo.measurements import sending

    consent = send_consent(session=session, user_id=user_id, provider_id=provider.id, category=MEASUREMENTS)
    if consent and consent.allowed and consent.automatic:
        found = sending.plan_readings(
            session=session, user_id=user_id, since=consent.changed_at, today=today or date.today()
        )
        if found:
            items = [sending.outgoing(m) for m in found]
            queue(session=session, user_id=user_id, provider_id=provider.id, provider_name=provider.name, items=items)
            session.commit()
    return deliver(session=session, user_id=user_id, provider=provider, secret_key=secret_key)


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
    if item.kind == "measurement":
        from pgo.measurements.types import UnknownMeasurementType, get_type

        try:
            return str(get_type(item.title).label)
        except UnknownMeasurementType:
            return item.title
    return item.title


def _moment(item: SentItem) -> datetime | None:
    raw = item.resource.get("effectiveDateTime") or item.resource.get("authored")
    try:
        return datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
