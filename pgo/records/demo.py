"""Demonstration data of this feature, seeded by `pgo demo` (idempotent): real FHIR fixtures for the demo patient.

Two Dutch sources (the Nictiz zib2017 examples as MedMij exchanges them today, the zib2020 examples in R4) and one
English Synthea patient with many results over the years. Each source is imported once; the import itself is
idempotent too (resources are kept by content hash).
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from pgo.accounts.demo_people import DemoPeople
from pgo.clock import utcnow
from pgo.config import fixtures_dir
from pgo.records.import_report import as_summary
from pgo.records.importing import ImportReport, import_paths
from pgo.records.models import ImportJob, RecordProvenance, RecordResource

# (source name shown to the patient, folder or file under the fixtures folder)
DEMO_SOURCES = (
    ("Huisartsenpraktijk De Linde", "nictiz-stu3-zib2017"),
    ("Ziekenhuis Rijnzicht", "nictiz-r4-zib2020"),
    ("Boston Medical Records (Synthea)", "synthea-r4/Reuben_Lind_1d03714f-4851-44d9-a6b6-8a2752bbe178.json"),
)


# The BgZ sections the fixtures lack (alerts, directives, care plan, appointments, care team, devices, nutrition,
# functioning, insurance: #20), written by this project in the zib2017 (STU3) and zib2020 (R4) shapes, from the same
# two Dutch sources. Imported on every seed: the import keeps each resource once (content hash).
BGZ_DEMO = Path(__file__).resolve().parent / "bgz" / "demo"
BGZ_SOURCES = (
    ("Huisartsenpraktijk De Linde", BGZ_DEMO / "zib2017-bgz.json"),
    ("Ziekenhuis Rijnzicht", BGZ_DEMO / "zib2020-bgz.json"),
)


def _already_imported(session: Session, user_id: int, source_name: str) -> bool:
    found = session.exec(
        select(RecordProvenance.id)
        .join(RecordResource, RecordResource.id == RecordProvenance.resource_id)
        .where(RecordResource.user_id == user_id, RecordProvenance.source_name == source_name)
        .limit(1)
    ).first()
    return found is not None


def seed(session: Session, people: DemoPeople) -> None:
    """Import the demo sources for the demo patient, each once; skip quietly when the fixtures are missing."""
    folder = fixtures_dir()
    for source_name, relative in DEMO_SOURCES:
        path = folder / relative
        if not path.exists():
            people.notes.append(f"records: fixtures not found at {path}; no demo records for {source_name}")
            continue
        if _already_imported(session, people.patient.id, source_name):
            continue
        report = import_paths(session=session, user_id=people.patient.id, paths=[path], source_name=source_name)
        session.add(_finished_job(people.patient.id, source_name, report))
        for refusal in report.refused:
            people.notes.append(f"records: {refusal.file} refused: {refusal.error}")
    for source_name, path in BGZ_SOURCES:
        report = import_paths(session=session, user_id=people.patient.id, paths=[path], source_name=source_name)
        for refusal in report.refused:
            people.notes.append(f"records: {refusal.file} refused: {refusal.error}")


def _finished_job(user_id: int, source_name: str, report: ImportReport) -> ImportJob:
    """The import as a finished job (#17): its report page is there as after an upload."""
    stored = report.imported + report.duplicates
    return ImportJob(
        user_id=user_id,
        state="done",
        files_total=1,
        files_done=1,
        resources_expected=stored,
        resources_done=stored,
        report=as_summary(report, source=source_name),
        finished_at=utcnow(),
    )
