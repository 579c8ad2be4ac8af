"""The sandbox's demo patients and their records, read from the shared FHIR fixtures."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pgo.config import fixtures_dir
from pgo.records.fhir_xml import parse_xml, xml_to_json


@dataclass(frozen=True)
class DemoPatient:
    """Someone who can sign in at the sandbox provider."""

    username: str
    name: str
    folder: str
    fhir_version: str  # "STU3" or "R4"

    def get_user_id(self) -> str:  # Authlib asks the signed-in user for an id
        return self.username


DEMO_PATIENTS = (
    DemoPatient("johan", "Johan Helleman", "nictiz-stu3-zib2017", "STU3"),
    DemoPatient("jo", "Jo van Putten-van der Giessen", "nictiz-r4-zib2020", "R4"),
)
DEMO_PASSWORD = "sandbox"  # noqa: S105 (the demo provider's published password)


def find_patient(username: str) -> DemoPatient | None:
    return next((patient for patient in DEMO_PATIENTS if patient.username == username), None)


@cache
def patient_resources(username: str, folder: Path | None = None) -> tuple[dict, ...]:
    """Every resource in the patient's fixture folder, as FHIR JSON, in file-name order."""
    patient = find_patient(username)
    if patient is None:
        return ()
    base = (folder or fixtures_dir()) / patient.folder
    return tuple(xml_to_json(parse_xml(path.read_bytes()), patient.fhir_version) for path in sorted(base.glob("*.xml")))


def patient_id(username: str) -> str | None:
    """The id of the patient's own Patient resource (the first one in the folder)."""
    return next((r["id"] for r in patient_resources(username) if r["resourceType"] == "Patient"), None)
