"""A provider's request to fill in a questionnaire, as a FHIR Task (#20, 2026-12-03).

MedMij Vragenlijsten: the provider offers a Questionnaire through a Task for the patient. STU3 points to it with
``definitionReference``, R4 with ``focus`` (``store.questionnaire_reference`` reads either). The sandbox serves
these; the demo offers them to the demo patient the same way a provider connection would.
"""

from __future__ import annotations

from typing import Any


def questionnaire_task(
    *, task_id: str, questionnaire_id: str, patient_reference: str, fhir_version: str, authored: str
) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": task_id,
        "status": "requested",
        "intent": "order",
        "for": {"reference": patient_reference},
        "authoredOn": authored,
        "description": "Vragenlijst invullen",
    }
    reference = {"reference": f"Questionnaire/{questionnaire_id}"}
    if fhir_version == "STU3":
        task["definitionReference"] = reference
    else:
        task["focus"] = reference
    return task
