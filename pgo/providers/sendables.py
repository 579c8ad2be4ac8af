"""What the features have to send to a provider (#19, 2026-12-03): one ``Sendable`` per kind, named in the feature
manifest (pgo.features, ``outbox``), so that sending asks the features instead of importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pgo.providers.models import DECISIONS, MEASUREMENTS, QUESTIONNAIRES


def _as_stored(title: str) -> str:
    return title


@dataclass(frozen=True)
class Sendable:
    kind: str  # ``SentItem.kind``: "measurement", "questionnaire", "decision"
    category: str  # the permission it needs (pgo.providers.models: MEASUREMENTS, ...)
    # fn(session=, user_id=, provider_id=, **what) -> [Outgoing]: what the patient chose; LookupError when not theirs
    choose: Callable[..., list]
    # fn(session=, user_id=, provider_id=) -> the sending page's part for this kind (template names)
    page: Callable[..., dict[str, Any]]
    title: Callable[[str], str] = _as_stored  # a sent item's stored title as the patient reads it
    on_sent: Callable[..., None] | None = None  # fn(session=, item_key=, when=) once the provider took it
    task_of: Callable[..., str] | None = None  # fn(session=, item_key=, provider_id=) -> the provider's Task or ""
    automatic: Callable[..., list] | None = None  # fn(session=, user_id=, since=, today=) -> [Outgoing] to send


def sendables() -> list[Sendable]:
    from pgo import features

    return features.outbox()


def sendable(kind: str) -> Sendable | None:
    return next((found for found in sendables() if found.kind == kind), None)


__all__ = ["DECISIONS", "MEASUREMENTS", "QUESTIONNAIRES", "Sendable", "sendable", "sendables"]
