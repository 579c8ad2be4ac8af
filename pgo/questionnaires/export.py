"""The patient's finished questionnaires in their export (#20, 2026-12-03): the QuestionnaireResponses as built.

The export is one FHIR R4 Bundle, so responses to STU3 questionnaires (kept as STU3 for the provider) are left
out of it; the Questionnaire they answer is named by its canonical url in each response.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session

from pgo.questionnaires.store import finished_offers


def fhir_resources_for_export(*, session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    for offer in finished_offers(session=session, user_id=user_id):
        if offer.response and offer.fhir_version == "R4":
            yield {**offer.response, "id": f"questionnaire-response-{offer.id}"}
