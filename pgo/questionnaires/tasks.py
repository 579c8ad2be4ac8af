"""A provider's request to fill in a questionnaire, as a FHIR Task (#20, 2026-12-03).

MedMij Vragenlijsten (STU3, the vl-QuestionnaireProvisioningTask profile): code LOINC 74468-0, the patient as
``owner``, the Questionnaire and the patient as ``input``s ("Questionnaire", "Subject"). R4: ``for`` and ``focus``.
``store.questionnaire_reference`` and ``store.task_subject`` read either. The sandbox serves these; the demo offers
them to the demo patient the same way a provider connection would.
"""

from __future__ import annotations

from typing import Any


def questionnaire_task(
    *, task_id: str, questionnaire_id: str, patient_reference: str, fhir_version: str, authored: str
) -> dict[str, Any]:
    reference = {"reference": f"Questionnaire/{questionnaire_id}"}
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": task_id,
        "status": "requested",
        "intent": "order",
        "code": {"coding": [{"system": "http://loinc.org", "code": "74468-0"}]},
        "description": "Er is een vragenlijst voor u om in te vullen",
        "authoredOn": authored,
        "input": [
            {"type": {"text": "Questionnaire"}, "valueReference": reference},
            {"type": {"text": "Subject"}, "valueReference": {"reference": patient_reference}},
        ],
    }
    if fhir_version == "STU3":
        task["owner"] = {"reference": patient_reference}
    else:
        task["for"] = {"reference": patient_reference}
        task["focus"] = reference
    return task
