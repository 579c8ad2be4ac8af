"""Care team and contacts (CareTeam, PractitionerRole; zib ContactPerson as RelatedPerson or Patient.contact), in their
zib2017 (STU3) and zib2020 (R4) shapes (#20 part 2)."""

from __future__ import annotations

from datetime import datetime

from pgo.i18n import _
from pgo.records.bgz import fhir
from pgo.records.bgz.items import SectionItem, ended, facts
from pgo.records.bgz.words import GONE, status_now, status_of


def _phone_and_email(resource: dict) -> tuple[tuple[str, str], ...]:
    found = fhir.telecom(resource)
    phones = ", ".join(v for s, v in found if s in ("phone", "sms", ""))
    emails = ", ".join(v for s, v in found if s == "email")
    return (_("Phone"), phones), (_("Email"), emails)


def care_team(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    members = []
    for participant in resource.get("participant") or []:
        if not isinstance(participant, dict):
            continue
        name = fhir.reference_text(participant.get("member"), resource, resolve)
        role = fhir.concept(fhir.as_list(participant.get("role")))
        members.append(f"{name} ({role})" if name and role else name or role)
    start, end = fhir.period(resource.get("period"))
    current = status in ("active", "proposed", "") and not ended(end, now)
    return SectionItem(
        kind="care-team",
        title=str(resource.get("name") or "") or _("Care team"),
        when_text=start,
        status=status_now(status, current),
        facts=facts(
            (_("Who"), "; ".join(m for m in members if m)),
            (
                _("Organisation"),
                ", ".join(
                    fhir.reference_text(o, resource, resolve)
                    for o in fhir.as_list(resource.get("managingOrganization"))
                ),
            ),
            (_("Until"), fhir.display_end(end)),
        ),
        notes=tuple(fhir.notes(resource)),
        current=current,
        group="team",
    )


def practitioner_role(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    name = fhir.reference_text(resource.get("practitioner"), resource, resolve)
    role = fhir.concept(resource.get("code"))
    specialty = fhir.concept(resource.get("specialty"))
    start, end = fhir.period(resource.get("period"))
    return SectionItem(
        kind="care-provider",
        title=name or specialty or role or _("Care provider"),
        when_text="",
        facts=facts(
            (_("Role"), role),
            (_("Care field"), specialty if specialty != name else ""),
            (_("Organisation"), fhir.reference_text(resource.get("organization"), resource, resolve)),
            *_phone_and_email(resource),
        ),
        current=resource.get("active") is not False and not ended(end, now),
        group="team",
    )


def _contact(name: str, relationship: str, source: dict) -> SectionItem:
    return SectionItem(
        kind="contact",
        title=name or relationship or _("Contact person"),
        facts=facts((_("Relationship"), relationship if name else ""), *_phone_and_email(source)),
        group="contacts",
    )


def related_person(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    if resource.get("active") is False:
        return None
    relationship = fhir.concept(fhir.as_list(resource.get("relationship")))
    return _contact(fhir.human_name(resource.get("name")), relationship, resource)


def patient_contacts(resource: dict) -> list[SectionItem]:
    """The contact persons written into the Patient resource (zib ContactPerson in 2017 was Patient.contact)."""
    found = []
    for contact in resource.get("contact") or []:
        if isinstance(contact, dict):
            relationship = fhir.concept(fhir.as_list(contact.get("relationship")))
            found.append(_contact(fhir.human_name(contact.get("name")), relationship, contact))
    return found
