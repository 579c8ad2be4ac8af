"""A patient's questionnaires (#20, 2026-12-03): offer, start or resume, save a page, finish, mark as sent.

Answers are saved per page (``save_page``) and are FHIR answer elements per linkId (see ``model.Answers``).
Every save carries a form token; a token seen before for the same offer is not saved again (a double submit).
``finish`` builds the QuestionnaireResponse and marks the offer ready to send (or completed when nobody asked
for it); sending is the provider client's work (#20 part 4-5): ``ready_to_send`` and ``mark_sent`` are its API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pgo.clock import utcnow
from pgo.i18n import _
from pgo.questionnaires.answers import check_answers, merge, missing_required
from pgo.questionnaires.enable import enabled_items
from pgo.questionnaires.model import Questionnaire
from pgo.questionnaires.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    OfferStatus,
    QuestionnaireOffer,
    QuestionnaireSubmission,
)
from pgo.questionnaires.reading import QuestionnaireError, read_questionnaire
from pgo.questionnaires.response import build_response
from pgo.questionnaires.shipped import shipped_key_for, shipped_questionnaire, shipped_resource

PGO_SOURCE = "pgo"
MAX_TOKEN = 64


class OfferNotFound(LookupError):
    """No questionnaire with this id is offered to this person."""


def owned_offer(*, session: Session, offer_id: int, user_id: int) -> QuestionnaireOffer:
    offer = session.get(QuestionnaireOffer, offer_id)
    if offer is None or offer.user_id != user_id:
        raise OfferNotFound(offer_id)
    return offer


def questionnaire_of(offer: QuestionnaireOffer, lang: str | None = None) -> Questionnaire:
    """The questionnaire as the patient sees it: a shipped one in their language, a provider's as it came."""
    if offer.shipped_key:
        return shipped_questionnaire(offer.shipped_key, lang or offer.language)
    return read_questionnaire(offer.questionnaire, offer.fhir_version)


def offer_questionnaire(
    *,
    session: Session,
    user_id: int,
    resource: dict[str, Any],
    source: str,
    task_id: str,
    source_name: str = "",
    subject_reference: str | None = None,
    fhir_version: str | None = None,
    shipped_key: str | None = None,
    lang: str = "nl",
) -> QuestionnaireOffer:
    """Offer a questionnaire to a patient once per (source, task): offering it again returns the same offer.

    Raises ``QuestionnaireError`` for a resource pgo cannot read (nothing is stored then).
    """
    questionnaire = read_questionnaire(resource, fhir_version)
    existing = _offer_of_task(session, user_id, source, task_id)
    if existing is not None:
        return existing
    offer = QuestionnaireOffer(
        user_id=user_id,
        source=source,
        source_name=source_name,
        task_id=task_id,
        # pgo's own questionnaire offered by a provider follows the patient's language (R4, as pgo ships it)
        shipped_key=shipped_key or (shipped_key_for(questionnaire.url) if questionnaire.fhir_version == "R4" else None),
        subject_reference=subject_reference,
        fhir_version=questionnaire.fhir_version,
        questionnaire=resource,
        title=questionnaire.title[:300],
        language=lang,
    )
    try:
        with session.begin_nested():  # two fetches at once (#24) both offer it: the unique key decides, not a read
            session.add(offer)
    except IntegrityError:
        found = _offer_of_task(session, user_id, source, task_id)
        if found is None:
            raise
        return found
    return offer


def _offer_of_task(session: Session, user_id: int, source: str, task_id: str) -> QuestionnaireOffer | None:
    return session.exec(
        select(QuestionnaireOffer).where(
            QuestionnaireOffer.user_id == user_id,
            QuestionnaireOffer.source == source,
            QuestionnaireOffer.task_id == task_id,
        )
    ).first()


def offer_shipped(*, session: Session, user_id: int, key: str, lang: str = "nl") -> QuestionnaireOffer:
    """Offer one of pgo's own questionnaires (``shipped.SHIPPED``)."""
    return offer_questionnaire(
        session=session,
        user_id=user_id,
        resource=shipped_resource(key, lang),
        source=PGO_SOURCE,
        task_id=key,
        shipped_key=key,
        fhir_version="R4",
        lang=lang,
    )


def questionnaire_reference(task: Mapping[str, Any]) -> str | None:
    """Where a Task points to its Questionnaire: R4 ``focus`` or an input, STU3 ``definitionReference``."""
    candidates = [
        (task.get("focus") or {}).get("reference"),
        (task.get("definitionReference") or {}).get("reference"),
        task.get("instantiatesCanonical"),
    ]
    for entry in task.get("input", []):
        candidates += [(entry.get("valueReference") or {}).get("reference"), entry.get("valueCanonical")]
    return next((ref for ref in candidates if ref and "Questionnaire" in ref), None)


def task_subject(task: Mapping[str, Any]) -> str | None:
    """The patient a Task is about: ``for``, else the MedMij input "Subject", else an owner that is a Patient."""
    if reference := (task.get("for") or {}).get("reference"):
        return reference
    for entry in task.get("input", []):
        if ((entry.get("type") or {}).get("text") or "").lower() == "subject":
            return (entry.get("valueReference") or {}).get("reference")
    owner = (task.get("owner") or {}).get("reference") or ""
    return owner if owner.startswith("Patient/") else None


def offer_from_task(
    *,
    session: Session,
    user_id: int,
    task: Mapping[str, Any],
    questionnaires: Mapping[str, dict[str, Any]],
    source: str,
    source_name: str = "",
    fhir_version: str | None = None,
) -> QuestionnaireOffer | None:
    """Offer the Questionnaire a provider's Task points to; ``questionnaires`` maps references and canonical
    urls to resources. None for a Task that is finished, cancelled or points to no Questionnaire we have."""
    if task.get("status") in ("completed", "cancelled", "rejected", "failed", "entered-in-error"):
        return None
    reference = (questionnaire_reference(task) or "").split("|")[0]
    tail = "/".join(reference.split("/")[-2:])  # http://x/fhir/Questionnaire/1 -> Questionnaire/1
    resource = questionnaires.get(reference) or questionnaires.get(tail)
    if resource is None:
        return None
    subject = task_subject(task)
    return offer_questionnaire(
        session=session,
        user_id=user_id,
        resource=resource,
        source=source,
        source_name=source_name,
        task_id=str(task.get("id")),
        subject_reference=subject,
        fhir_version=fhir_version,
        lang=resource.get("language") or "nl",
    )


def offers_from_resources(
    *,
    session: Session,
    user_id: int,
    resources: list[dict[str, Any]],
    source: str,
    source_name: str = "",
    fhir_version: str | None = None,
) -> list[QuestionnaireOffer]:
    """Offer every open Task among a provider's resources whose Questionnaire is among them too (by
    ``Questionnaire/<id>`` or canonical url). For the provider client, which fetches Task and Questionnaire."""
    questionnaires: dict[str, dict[str, Any]] = {}
    for resource in resources:
        if resource.get("resourceType") == "Questionnaire":
            questionnaires[f"Questionnaire/{resource.get('id')}"] = resource
            if resource.get("url"):
                questionnaires[resource["url"]] = resource
    offers = []
    for task in (r for r in resources if r.get("resourceType") == "Task"):
        offer = offer_from_task(
            session=session, user_id=user_id, task=task, questionnaires=questionnaires, source=source,
            source_name=source_name, fhir_version=fhir_version,
        )  # fmt: skip
        if offer is not None:
            offers.append(offer)
    return offers


def open_offers(*, session: Session, user_id: int) -> list[QuestionnaireOffer]:
    query = (
        select(QuestionnaireOffer)
        .where(QuestionnaireOffer.user_id == user_id, QuestionnaireOffer.status.in_(OPEN_STATUSES))  # type: ignore[attr-defined]
        .order_by(QuestionnaireOffer.offered_at, QuestionnaireOffer.id)  # type: ignore[arg-type]
    )
    return list(session.exec(query))


def finished_offers(*, session: Session, user_id: int) -> list[QuestionnaireOffer]:
    query = (
        select(QuestionnaireOffer)
        .where(QuestionnaireOffer.user_id == user_id, QuestionnaireOffer.status.in_(FINISHED_STATUSES))  # type: ignore[attr-defined]
        .order_by(QuestionnaireOffer.completed_at.desc(), QuestionnaireOffer.id.desc())  # type: ignore[union-attr]
    )
    return list(session.exec(query))


@dataclass
class SaveResult:
    offer: QuestionnaireOffer
    errors: dict[str, str] = field(default_factory=dict)
    duplicate: bool = False  # this form was saved before; nothing changed now
    newly_shown: list[str] = field(default_factory=list)  # items of this page that the answers just switched on

    @property
    def ok(self) -> bool:
        return not self.errors


def _token_seen(session: Session, offer_id: int, token: str) -> bool:
    found = session.exec(
        select(QuestionnaireSubmission).where(
            QuestionnaireSubmission.offer_id == offer_id, QuestionnaireSubmission.token == token
        )
    ).first()
    return found is not None


def save_page(
    *,
    session: Session,
    offer_id: int,
    user_id: int,
    link_ids: list[str],
    form_data: Mapping[str, Any],
    token: str,
    lang: str | None = None,
    require: bool = True,
    position: str | None = None,
) -> SaveResult:
    """Check and save the answers to the items ``link_ids`` (one page). On errors nothing is stored.

    ``require`` False ("stop and continue later") lets required questions stay empty. ``position`` is the
    linkId to come back to. The caller commits; a token seen before returns ``duplicate`` and saves nothing.
    """
    offer = owned_offer(session=session, offer_id=offer_id, user_id=user_id)
    if offer.status not in OPEN_STATUSES:
        return SaveResult(offer, {"form": _("You have finished this questionnaire. Your answers are saved.")})
    token = (token or "").strip()[:MAX_TOKEN]
    if not token:
        return SaveResult(offer, {"form": _("Something went wrong with the form. Open the page again and retry.")})
    if _token_seen(session, offer.id, token):
        return SaveResult(offer, duplicate=True)
    questionnaire = questionnaire_of(offer, lang)
    items = [questionnaire.by_link_id[link_id] for link_id in link_ids if link_id in questionnaire.by_link_id]
    saved = dict(offer.answers)
    checked = check_answers(questionnaire, items, form_data, saved=saved, require=require)
    before = enabled_items(questionnaire, saved)
    answers = merge(saved, checked.answers, [item.link_id for item in items])
    after = enabled_items(questionnaire, answers)
    newly = [item.link_id for item in items if item.link_id in after and item.link_id not in before]
    for link_id in set(newly) & set(checked.unanswered):  # not seen yet: shown first, not blamed
        checked.errors.pop(questionnaire.by_link_id[link_id].field, None)
    if not checked.ok:
        return SaveResult(offer, checked.errors, newly_shown=newly)
    offer.answers = {link_id: given for link_id, given in answers.items() if link_id in after}
    offer.status = OfferStatus.IN_PROGRESS
    offer.current_link_id = position
    if lang in ("nl", "en"):
        offer.language = lang
    offer.updated_at = utcnow()
    session.add(offer)
    session.add(QuestionnaireSubmission(offer_id=offer.id, token=token))
    try:
        session.flush()
    except IntegrityError:  # the same token saved at the same moment by a second request
        session.rollback()
        return SaveResult(owned_offer(session=session, offer_id=offer_id, user_id=user_id), duplicate=True)
    return SaveResult(offer, newly_shown=newly)


def move_to(*, session: Session, offer: QuestionnaireOffer, link_id: str | None) -> None:
    """Remember where the patient continues (the first question of a page; None: the summary)."""
    offer.current_link_id = link_id
    session.add(offer)
    session.flush()


def finish(
    *, session: Session, offer_id: int, user_id: int, lang: str | None = None, now: datetime | None = None
) -> SaveResult:
    """Build the QuestionnaireResponse of the saved answers and mark the offer finished.

    Offered by a provider: ``ready-to-send`` (the provider client sends it, then calls ``mark_sent``); shipped
    with pgo: ``completed``. Errors name the required questions still open (by their field).
    """
    offer = owned_offer(session=session, offer_id=offer_id, user_id=user_id)
    if offer.status in FINISHED_STATUSES:
        return SaveResult(offer, duplicate=True)
    questionnaire = questionnaire_of(offer, lang)
    missing = missing_required(questionnaire, offer.answers)
    if missing:
        return SaveResult(offer, {item.field: _("Answer this question first: %(q)s", q=item.text) for item in missing})
    moment = now or utcnow()
    offer.response = build_response(
        questionnaire,
        offer.answers,
        authored=moment,
        subject=offer.subject_reference,
        identifier=f"urn:uuid:{_response_uuid(offer)}",
        lang=questionnaire.language,
    )
    offer.status = OfferStatus.COMPLETED if offer.source == PGO_SOURCE else OfferStatus.READY_TO_SEND
    offer.completed_at = offer.updated_at = moment
    session.add(offer)
    session.flush()
    return SaveResult(offer)


def _response_uuid(offer: QuestionnaireOffer) -> str:
    """A stable identifier per offer, so a response sent twice is recognisably the same one (idempotent sending)."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"pgo:questionnaire-offer:{offer.id}:{offer.source}:{offer.task_id}"))


def ready_to_send(*, session: Session, source: str | None = None) -> list[QuestionnaireOffer]:
    """Offers whose response waits to be sent back (for the provider client)."""
    query = select(QuestionnaireOffer).where(QuestionnaireOffer.status == OfferStatus.READY_TO_SEND)
    if source:
        query = query.where(QuestionnaireOffer.source == source)
    return list(session.exec(query))


def mark_sent(*, session: Session, offer_id: int, when: datetime | None = None) -> QuestionnaireOffer:
    offer = session.get(QuestionnaireOffer, offer_id)
    if offer is None:
        raise OfferNotFound(offer_id)
    if offer.status == OfferStatus.READY_TO_SEND:
        offer.status = OfferStatus.SENT
        offer.sent_at = when or utcnow()
        session.add(offer)
        session.flush()
    return offer


__all__ = ["QuestionnaireError", "finish", "offer_questionnaire", "save_page"]


def offers_from_delivery(
    *, session: Session, user_id: int, resources: list[dict], source: str, source_name: str
) -> None:
    """A provider's delivery (#20; a fetch listener in pgo.features, #19 2026-12-03): its open Tasks with their
    Questionnaires go on the patient's to-do list; one that pgo cannot read is left out, the rest of the import
    stands."""
    wanted = [r for r in resources if r["resourceType"] in ("Task", "Questionnaire")]
    try:
        with session.begin_nested():
            offers_from_resources(
                session=session, user_id=user_id, resources=wanted, source=source, source_name=source_name
            )
    except QuestionnaireError:  # one at a time, to keep the readable ones
        questionnaires = {f"Questionnaire/{r.get('id')}": r for r in wanted if r["resourceType"] == "Questionnaire"}
        for task in (r for r in wanted if r["resourceType"] == "Task"):
            try:
                with session.begin_nested():
                    offer_from_task(session=session, user_id=user_id, task=task, questionnaires=questionnaires,
                                    source=source, source_name=source_name)  # fmt: skip
            except QuestionnaireError:
                continue
