"""Sending to a connected provider (#20, 2026-12-03): home measurements, questionnaire answers, decision-aid answers.

Only what the patient allows: a ``SendConsent`` per provider and category, checked when something is queued and
again when it is sent (taking permission back stops what still waits). ``queue`` puts items in the outbox once per
provider (a second queue of the same reading is the same item); ``deliver`` sends what waits, oldest first, each
with a stable identifier and a conditional create, so a retry after a failure or a lost answer never makes a
second copy at the provider. A failed item keeps waiting with its error and the number of attempts; the patient
sees it and it goes with the next delivery. Every item sent is in the patient's access log ("sent to X").
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from sqlmodel import Session, col, select

from pgo.clock import utcnow
from pgo.providers.client import complete_task, create_resource, server_version
from pgo.providers.config import Provider
from pgo.providers.errors import NEEDS_CONSENT, TOKEN_EXPIRED, UNREACHABLE, ProviderError
from pgo.providers.models import (
    DECISIONS,
    MEASUREMENTS,
    QUESTIONNAIRES,
    SEND_CATEGORIES,
    SENT,
    WAITING,
    SendConsent,
    SentItem,
)
from pgo.providers.queries import STU3
from pgo.providers.sendables import sendable
from pgo.providers.service import get_connection, usable_tokens

URI_SYSTEM = "urn:ietf:rfc:3986"
STOPPING = (NEEDS_CONSENT, UNREACHABLE)  # the provider cannot take anything now: the rest waits too
# zib2017 (STU3, MedMij today) names for the nl-core (zib2020) profiles pgo writes
STU3_PROFILES = {
    "nl-core-BloodPressure": "zib-BloodPressure",
    "nl-core-HeartRate": "zib-HeartRate",
    "nl-core-BodyWeight": "zib-BodyWeight",
    "nl-core-BodyHeight": "zib-BodyHeight",
    "nl-core-BodyTemperature": "zib-BodyTemperature",
    "nl-core-O2Saturation": "zib-OxygenSaturation",
    "nl-core-PainScore": "zib-PainScore",
}
KIND_CATEGORY = {"measurement": MEASUREMENTS, "questionnaire": QUESTIONNAIRES, "decision": DECISIONS}
ACCESS_OBJECT = {MEASUREMENTS: "measurements", QUESTIONNAIRES: "questionnaires", DECISIONS: "decisions"}


class SendNotAllowed(PermissionError):
    """The patient has not allowed this category to be sent to this provider."""


@dataclass(frozen=True)
class Outgoing:
    """One thing to send: what it is (kind + key), what the patient reads, and the resource (FHIR R4 form)."""

    kind: str
    item_key: str
    title: str
    resource: dict[str, Any]


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    held: int = 0  # waiting because the permission was taken back
    error_kind: str | None = None


def send_consent(*, session: Session, user_id: int, provider_id: str, category: str) -> SendConsent | None:
    query = select(SendConsent).where(
        SendConsent.user_id == user_id, SendConsent.provider_id == provider_id, SendConsent.category == category
    )
    return session.exec(query).first()


def is_allowed(*, session: Session, user_id: int, provider_id: str, category: str) -> bool:
    found = send_consent(session=session, user_id=user_id, provider_id=provider_id, category=category)
    return bool(found and found.allowed)


def set_send_consent(
    *,
    session: Session,
    user_id: int,
    provider_id: str,
    category: str,
    allowed: bool,
    automatic: bool = False,
    now: datetime | None = None,
) -> SendConsent:
    """Allow or stop sending one category to one provider (``automatic`` only for measurements, only if allowed)."""
    if category not in SEND_CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    found = send_consent(session=session, user_id=user_id, provider_id=provider_id, category=category)
    found = found or SendConsent(user_id=user_id, provider_id=provider_id, category=category)
    found.allowed = allowed
    found.automatic = allowed and automatic and category == MEASUREMENTS
    found.changed_at = now or utcnow()
    session.add(found)
    session.flush()
    return found


def item_identifier(user_id: int, provider_id: str, kind: str, item_key: str) -> str:
    """Stable for one item and one provider: the same reading sent twice has the same identifier."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'pgo:send:{user_id}:{provider_id}:{kind}:{item_key}')}"


def queue(
    *,
    session: Session,
    user_id: int,
    provider_id: str,
    items: list[Outgoing],
    provider_name: str = "",
    now: datetime | None = None,
) -> list[SentItem]:
    """Put items in the outbox for this provider (each once); raises SendNotAllowed without the permission."""
    queued = []
    for item in items:
        category = KIND_CATEGORY[item.kind]
        if not is_allowed(session=session, user_id=user_id, provider_id=provider_id, category=category):
            raise SendNotAllowed(category)
        existing = session.exec(
            select(SentItem).where(
                SentItem.user_id == user_id,
                SentItem.provider_id == provider_id,
                SentItem.kind == item.kind,
                SentItem.item_key == item.item_key,
            )
        ).first()
        if existing is None:
            identifier = item_identifier(user_id, provider_id, item.kind, item.item_key)
            existing = SentItem(
                user_id=user_id,
                provider_id=provider_id,
                provider_name=provider_name[:200],
                category=category,
                kind=item.kind,
                item_key=item.item_key,
                title=item.title[:200],
                identifier=identifier,
                resource_type=item.resource["resourceType"],
                resource=_with_identifier(item.resource, identifier),
                queued_at=now or utcnow(),
            )
            session.add(existing)
        queued.append(existing)
    session.flush()
    return queued


def _with_identifier(resource: dict[str, Any], identifier: str) -> dict[str, Any]:
    result = copy.deepcopy(resource)
    result.pop("id", None)  # the provider gives its own id
    mine = {"system": URI_SYSTEM, "value": identifier}
    if result["resourceType"] == "QuestionnaireResponse":
        result["identifier"] = mine  # one Identifier in this resource
    else:
        result["identifier"] = [mine, *[i for i in result.get("identifier") or [] if i.get("system") != URI_SYSTEM]]
    return result


def items_for(
    *, session: Session, user_id: int, provider_id: str | None = None, kind: str | None = None, limit: int | None = None
) -> list[SentItem]:
    """The patient's outbox, newest first (optionally for one provider or one kind, at most ``limit``)."""
    query = select(SentItem).where(SentItem.user_id == user_id)
    if provider_id:
        query = query.where(SentItem.provider_id == provider_id)
    if kind:
        query = query.where(SentItem.kind == kind)
    return list(session.exec(query.order_by(col(SentItem.id).desc()).limit(limit)))


def items_by_key(*, session: Session, user_id: int, kind: str, keys: list[str]) -> dict[str, list[SentItem]]:
    """The outbox items of these things (e.g. the readings on a page), by key: one query."""
    if not keys:
        return {}
    query = select(SentItem).where(SentItem.user_id == user_id, SentItem.kind == kind, col(SentItem.item_key).in_(keys))
    found: dict[str, list[SentItem]] = {}
    for item in session.exec(query.order_by(col(SentItem.id))):
        found.setdefault(item.item_key, []).append(item)
    return found


@dataclass(frozen=True)
class SentState:
    """Where one thing stands with one provider, for another feature's page (#19: without this package's models)."""

    provider_name: str
    sent_at: datetime | None  # None while it waits


def sent_states(*, session: Session, user_id: int, kind: str, keys: list[str]) -> dict[str, list[SentState]]:
    """Per key: where each of these things stands with each provider it went or goes to, in the outbox's order."""
    return {
        key: [
            SentState(item.provider_name or item.provider_id, item.sent_at if item.status == SENT else None)
            for item in items
        ]
        for key, items in items_by_key(session=session, user_id=user_id, kind=kind, keys=keys).items()
    }


def deliver(
    *,
    session: Session,
    user_id: int,
    provider: Provider,
    secret_key: str,
    http: requests.Session | None = None,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send what waits for this provider, oldest first. Commits along the way (a token refresh commits)."""
    report = DeliveryReport()
    waiting = list(
        session.exec(
            select(SentItem)
            .where(SentItem.user_id == user_id, SentItem.provider_id == provider.id, SentItem.status == WAITING)
            .order_by(col(SentItem.id))
        )
    )
    if not waiting:
        return report
    connection = get_connection(session=session, user_id=user_id, provider_id=provider.id)
    try:
        if connection is None:
            raise ProviderError(NEEDS_CONSENT, provider.name, "not connected")
        tokens = usable_tokens(session=session, connection=connection, provider=provider, secret_key=secret_key)
        version = provider.fhir_version or server_version(provider, tokens, http=http)
    except ProviderError as error:
        report.error_kind = error.kind
        return report
    allowed = {
        category: is_allowed(session=session, user_id=user_id, provider_id=provider.id, category=category)
        for category in SEND_CATEGORIES
    }
    patient = f"Patient/{connection.patient_reference}" if connection.patient_reference else None
    for item in waiting:
        if not allowed[item.category]:
            report.held += 1
            continue
        resource = for_version(item.resource, version, patient)
        item.attempts += 1
        item.last_attempt_at = now or utcnow()
        task_id = _task_of(session, item, provider)
        try:
            try:
                server_id = create_resource(provider, tokens, resource, identifier=_search_token(item), http=http)
                if task_id:  # the provider's request to fill it in is done (#20); again after a failure: no copy
                    complete_task(provider, tokens, task_id, server_id, http=http)
            except ProviderError as error:
                if error.kind != TOKEN_EXPIRED:
                    raise
                tokens = usable_tokens(
                    session=session, connection=connection, provider=provider, secret_key=secret_key, refused=True
                )
                server_id = create_resource(provider, tokens, resource, identifier=_search_token(item), http=http)
                if task_id:
                    complete_task(provider, tokens, task_id, server_id, http=http)
        except ProviderError as error:
            item.last_error = NEEDS_CONSENT if error.kind == TOKEN_EXPIRED else error.kind
            report.failed += 1
            report.error_kind = item.last_error
            session.add(item)
            session.flush()
            if item.last_error in STOPPING:
                break
            continue
        _mark_sent(session, item, provider, server_id, now)
        report.sent += 1
    session.flush()
    return report


def _task_of(session: Session, item: SentItem, provider: Provider) -> str:
    """The provider's Task behind a questionnaire this item answers (its id at the provider), or ""."""
    found = sendable(item.kind)
    if found is None or found.task_of is None:
        return ""
    return found.task_of(session=session, item_key=item.item_key, provider_id=provider.id)


def _search_token(item: SentItem) -> str:
    return f"{URI_SYSTEM}|{item.identifier}"


def _mark_sent(session: Session, item: SentItem, provider: Provider, server_id: str, now: datetime | None) -> None:
    from pgo.accounts.audit import record_access

    item.status = SENT
    item.sent_at = now or utcnow()
    item.server_id = server_id[:200] or None
    item.last_error = None
    session.add(item)
    found = sendable(item.kind)
    if found is not None and found.on_sent is not None:  # e.g. the questionnaire's offer is marked sent
        found.on_sent(session=session, item_key=item.item_key, when=item.sent_at)
    record_access(
        session=session,
        actor_id=None,
        actor_role="provider",
        team_id=None,
        patient_id=item.user_id,
        what=f"send:{ACCESS_OBJECT[item.category]}",
        purpose="care",
        detail=provider.name,
        now=item.sent_at,
    )
    session.flush()


def for_version(resource: dict[str, Any], version: str, patient_reference: str | None) -> dict[str, Any]:
    """The resource as the provider's FHIR version writes it, about the patient as the provider knows them."""
    result = copy.deepcopy(resource)
    if patient_reference and "subject" in result:
        result["subject"] = {"reference": patient_reference}
    if patient_reference and result["resourceType"] == "Observation":
        result["performer"] = [{"reference": patient_reference}]  # measured by the patient: a self-measurement
    if version != STU3:
        return result
    if result["resourceType"] == "Observation":
        return _observation_stu3(result)
    if result["resourceType"] == "QuestionnaireResponse" and isinstance(result.get("questionnaire"), str):
        result["questionnaire"] = {"reference": result["questionnaire"]}
    return result


def _observation_stu3(result: dict[str, Any]) -> dict[str, Any]:
    for category in result.get("category") or []:
        for coding in category.get("coding") or []:
            if coding.get("system") == "http://terminology.hl7.org/CodeSystem/observation-category":
                coding["system"] = "http://hl7.org/fhir/observation-category"
    profiles = (result.get("meta") or {}).get("profile") or []
    if profiles:
        base = "http://nictiz.nl/fhir/StructureDefinition/"
        names = [STU3_PROFILES.get(p.removeprefix(base)) for p in profiles if p.startswith(base)]
        result["meta"]["profile"] = [base + name for name in names if name]
        if not result["meta"]["profile"]:
            result.pop("meta")
    notes = result.pop("note", None)
    if notes:
        result["comment"] = " ".join(str(note.get("text") or "") for note in notes).strip()
    return result
