"""The questionnaires pgo ships, in Dutch and English (#20, 2026-12-03): ``data/<key>.<lang>.json`` (FHIR R4).

* ``phq-9``: the PHQ-9 (Spitzer, Williams, Kroenke; free to use without permission), the Dutch PHQ wording;
  the help text after question 9 is pgo's own.
* ``how-are-you``: "Hoe gaat het met u?", six areas in the spirit of positive health, written for pgo (CC0).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pgo.questionnaires.model import Questionnaire
from pgo.questionnaires.reading import read_questionnaire

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = ("phq-9", "how-are-you")
LANGUAGES = ("nl", "en")


class UnknownQuestionnaire(LookupError):
    pass


@cache
def _resource_text(key: str, lang: str) -> str:
    if key not in SHIPPED:
        raise UnknownQuestionnaire(key)
    return (DATA / f"{key}.{lang if lang in LANGUAGES else 'nl'}.json").read_text(encoding="utf-8")


def shipped_resource(key: str, lang: str) -> dict[str, Any]:
    """A fresh copy of the FHIR JSON of a shipped questionnaire in this language (Dutch when there is none)."""
    return json.loads(_resource_text(key, lang))


@cache
def shipped_questionnaire(key: str, lang: str) -> Questionnaire:
    return read_questionnaire(shipped_resource(key, lang), "R4")


def shipped_key_for(url: str | None) -> str | None:
    """The key of a shipped questionnaire with this canonical url (a provider may offer pgo's own), or None."""
    return next((key for key in SHIPPED if url and shipped_resource(key, "nl")["url"] == url.split("|")[0]), None)
