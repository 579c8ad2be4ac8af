"""Demonstration data of questionnaires (#20), seeded by `pgo demo` (idempotent).

The sandbox provider asks Anna to fill in the PHQ-9 and "Hoe gaat het met u?" before her next consultation (two
Tasks pointing to Questionnaires, offered as a provider connection would). She has not started yet.
"""

from __future__ import annotations

from sqlmodel import Session

from pgo.accounts.demo_people import DemoPeople
from pgo.questionnaires import store
from pgo.questionnaires.shipped import shipped_resource
from pgo.questionnaires.tasks import questionnaire_task

SOURCE = "sandbox"
SOURCE_NAME = "Zorgaanbieder Sandbox"
OFFERED = ("phq-9", "how-are-you")


def seed(session: Session, people: DemoPeople) -> None:
    for key in OFFERED:
        resource = shipped_resource(key, "nl")
        task = questionnaire_task(
            task_id=f"demo-{key}",
            questionnaire_id=resource["id"],
            patient_reference="Patient/demo-anna",
            fhir_version="R4",
            authored="2026-12-01",
        )
        store.offer_from_task(
            session=session,
            user_id=people.patient.id,
            task=task,
            questionnaires={f"Questionnaire/{resource['id']}": resource},
            source=SOURCE,
            source_name=SOURCE_NAME,
            fhir_version="R4",
        )
