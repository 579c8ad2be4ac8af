"""What the sandbox provider receives (#20, 2026-12-03): self-measurements and questionnaire answers.

Like a MedMij server it takes a resource only when it is valid FHIR of the patient's version (fhir.resources: STU3,
or R4B for R4), is about the patient the token is for, and is of a type it accepts. ``If-None-Exist`` makes the
create conditional on the identifier: a resource that is already there is answered with 200 and not stored again.
What arrived is kept in memory per sandbox app, for the tests (``/_sandbox/received``). A questionnaire's Task may
be updated (PUT) by the patient's PGO to say it was answered; only its status and output may change.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class as r4b_model
from fhir.resources.STU3 import get_fhir_model_class as stu3_model
from pydantic import ValidationError

ACCEPTED = ("Observation", "QuestionnaireResponse")


@dataclass
class Inbox:
    """Everything the sandbox was sent, by patient (username), in arrival order."""

    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    tasks: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (user, Task id): as updated
    lock: threading.Lock = field(default_factory=threading.Lock)

    def for_user(self, user: str) -> list[dict[str, Any]]:
        with self.lock:
            return [resource for owner, resource in self.received if owner == user]

    def tasks_for(self, user: str) -> dict[str, dict[str, Any]]:
        """The patient's Tasks as their PGO updated them (#20), by id."""
        with self.lock:
            return {task_id: task for (owner, task_id), task in self.tasks.items() if owner == user}

    def update_task(self, user: str, task: dict[str, Any]) -> None:
        with self.lock:
            self.tasks[(user, task["id"])] = task

    def clear(self) -> None:
        with self.lock:
            self.received.clear()
            self.tasks.clear()


class Refused(ValueError):
    """The resource cannot be accepted: ``status`` and ``code`` for the OperationOutcome."""

    def __init__(self, status: int, code: str, text: str) -> None:
        super().__init__(text)
        self.status, self.code = status, code


def validate(resource: Any, resource_type: str, version: str, accepted: tuple[str, ...] = ACCEPTED) -> None:
    """Raises Refused unless ``resource`` is a valid ``resource_type`` of this FHIR version."""
    if not isinstance(resource, dict) or resource.get("resourceType") != resource_type:
        raise Refused(400, "invalid", f"The body is not a {resource_type}.")
    if resource_type not in accepted:
        raise Refused(405, "not-supported", f"This server does not accept {resource_type}.")
    model = stu3_model if version == "STU3" else r4b_model
    try:
        model(resource_type).model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise Refused(422, "invalid", f"Not valid FHIR {version}: {where}: {first.get('msg')}") from error


def identifier_values(resource: dict[str, Any]) -> set[str]:
    found = resource.get("identifier") or []
    found = found if isinstance(found, list) else [found]
    return {f"{i.get('system', '')}|{i.get('value', '')}" for i in found if isinstance(i, dict)}


def store(inbox: Inbox, user: str, resource: dict[str, Any], if_none_exist: str) -> tuple[dict[str, Any], bool]:
    """Store the resource unless one with the ``If-None-Exist`` identifier is there; (stored resource, created)."""
    wanted = if_none_exist.removeprefix("identifier=") if if_none_exist.startswith("identifier=") else None
    with inbox.lock:
        if wanted:
            for owner, kept in inbox.received:
                same = owner == user and kept["resourceType"] == resource["resourceType"]
                if same and wanted in identifier_values(kept):
                    return kept, False
        kept = {**resource, "id": str(uuid.uuid4())}
        inbox.received.append((user, kept))
        return kept, True


def check_task_update(current: dict[str, Any], updated: dict[str, Any], version: str) -> None:
    """Raises Refused unless ``updated`` is ``current`` with only its status and output changed, valid FHIR."""
    validate(updated, "Task", version, accepted=("Task",))
    if updated.get("id") != current.get("id"):
        raise Refused(400, "invalid", "The Task's id does not match the address.")
    keep = {k: v for k, v in current.items() if k not in ("status", "output", "meta")}
    if {k: v for k, v in updated.items() if k not in ("status", "output", "meta")} != keep:
        raise Refused(403, "forbidden", "A PGO may change only a Task's status and output.")
    if updated.get("status") not in ("in-progress", "completed"):
        raise Refused(422, "invalid", "A PGO may set a Task to in-progress or completed only.")
