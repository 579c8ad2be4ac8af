"""The sandbox provider asks its patients to fill in questionnaires (#20, 2026-12-03): Tasks + Questionnaires.

Jo (R4) gets pgo's PHQ-9 and "Hoe gaat het met u?" as they ship; Johan (STU3, as MedMij exchanges today) gets
"Hoe gaat het met u?" written the STU3 way (``option``/``options``, enableWhen with answerX, no
enableBehavior). The shared fixtures hold no MedMij STU3 Questionnaire (SOURCES.md), so none is served from there.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from pgo.questionnaires.shipped import shipped_resource
from pgo.questionnaires.tasks import questionnaire_task
from pgo.sandbox.records import find_patient, patient_id

OFFERED = {"R4": ("phq-9", "how-are-you"), "STU3": ("how-are-you",)}


def to_stu3(resource: dict[str, Any]) -> dict[str, Any]:
    """An R4 Questionnaire written the STU3 way, for what both versions can say ('=' and 'exists' conditions,
    'any' behaviour); raises ValueError for an R4 condition STU3 cannot express."""
    result = copy.deepcopy(resource)
    result.pop("lastReviewDate", None)

    def convert(item: dict[str, Any]) -> None:
        if "answerOption" in item:
            item["option"] = [{k: v for k, v in o.items() if k.startswith("value")} for o in item.pop("answerOption")]
        if "answerValueSet" in item:
            item["options"] = {"reference": item.pop("answerValueSet")}
        conditions = item.get("enableWhen", [])
        if len(conditions) > 1 and item.pop("enableBehavior", "all") != "any":
            raise ValueError("STU3 enables on any condition only")
        item.pop("enableBehavior", None)
        for condition in conditions:
            operator = condition.pop("operator", "=")
            if operator == "exists":
                condition["hasAnswer"] = condition.pop("answerBoolean")
            elif operator != "=":
                raise ValueError(f"STU3 has no enableWhen operator {operator!r}")
        for child in item.get("item", []):
            convert(child)

    for item in result.get("item", []):
        convert(item)
    result["id"] = f"{resource['id']}-stu3"
    return result


@cache
def questionnaire_resources(username: str) -> tuple[dict[str, Any], ...]:
    """The Tasks and Questionnaires the sandbox holds for this patient (none for an unknown one)."""
    patient = find_patient(username)
    if patient is None:
        return ()
    found: list[dict[str, Any]] = []
    for key in OFFERED[patient.fhir_version]:
        resource = shipped_resource(key, "nl")
        if patient.fhir_version == "STU3":
            resource = to_stu3(resource)
        task = questionnaire_task(
            task_id=f"vragenlijst-{key}",
            questionnaire_id=resource["id"],
            patient_reference=f"Patient/{patient_id(username)}",
            fhir_version=patient.fhir_version,
            authored="2026-12-01",
        )
        found += [resource, task]
    return tuple(found)
