"""Who the preparation is about (#18): name, date of birth, age and the patient's number as a provider knows it.

The date of birth and the number come from the Patient records the providers sent. A BSN is shown masked (its last
four digits), as on a printed letter; without a BSN, a provider's own patient number. When the sources disagree
about the date of birth or the BSN, nothing is guessed: the page says so, because the records may not all be of
this person.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from pgo.records.models import RecordEntry

BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
# Numbers that are not a care provider's: other countries' national numbers and travel documents.
NOT_A_PROVIDER_NUMBER = ("http://hl7.org/fhir/sid/us-ssn", "passportNumber", "urn:oid:2.16.840.1.113883.4.3.")


@dataclass(frozen=True)
class PatientIdentity:
    birth_date: date | None
    age: int | None  # in whole years, on the day of the preparation
    bsn: str  # masked: "*****1120"; "" when there is none
    provider_number: str  # a provider's own patient number, when there is no BSN
    sources_disagree: bool  # different dates of birth or BSNs in the records


def masked_bsn(value: str) -> str:
    digits = "".join(c for c in value if c.isdigit())
    return "*" * max(len(digits) - 4, 0) + digits[-4:] if digits else ""


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _identifiers(text: str) -> list[tuple[str, str]]:
    """The record's identifiers, as normalised at import: "system#value|system#value"."""
    found = []
    for part in (text or "").split("|"):
        system, _, value = part.rpartition("#")
        if value:
            found.append((system, value))
    return found


def patient_identity(*, session: Session, patient_id: int, today: date) -> PatientIdentity:
    rows = session.exec(
        select(RecordEntry.effective_text, RecordEntry.details).where(
            RecordEntry.user_id == patient_id, RecordEntry.category == "patient"
        )
    ).all()
    births: set[date] = set()
    bsns: set[str] = set()
    others: list[str] = []
    for effective, details in rows:
        with contextlib.suppress(ValueError):
            births.add(date.fromisoformat((effective or "")[:10]))
        for system, value in _identifiers(str((details or {}).get("identifier", ""))):
            if system == BSN_SYSTEM:
                bsns.add(value.strip())
            elif system and not any(mark in system for mark in NOT_A_PROVIDER_NUMBER):
                others.append(value)
    born = births.pop() if len(births) == 1 else None
    bsn = bsns.pop() if len(bsns) == 1 else ""
    return PatientIdentity(
        birth_date=born,
        age=age_on(born, today) if born else None,
        bsn=masked_bsn(bsn),
        provider_number="" if bsn or len(set(others)) != 1 else others[0],
        sources_disagree=len(births) > 1 or len(bsns) > 1,
    )
