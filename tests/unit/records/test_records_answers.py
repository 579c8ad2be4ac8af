"""Coded answers in the reader's language, on the card and in read-aloud (#16, 2026-12-03)."""

from __future__ import annotations

import pytest
from records_helpers import add_user
from sqlmodel import select

from pgo.i18n import use_locale
from pgo.records.answers import CODES, answer_codes, answer_text
from pgo.records.explanations import explain_record
from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry
from pgo.records.presenters import present

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"


def smoking(value: dict, kind: str = "social-history") -> dict:
    return {
        "resourceType": "Observation", "id": "smoke-1", "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": kind}]}],
        "code": {"coding": [{"system": LOINC, "code": "72166-2", "display": "Tobacco smoking status"}]},
        "effectiveDateTime": "2024-03-01", **value,
    }  # fmt: skip


NEVER = {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "266919005", "display": "Never smoker"}]}}


def _card_value(session, resource: dict, lang: str) -> tuple[str, RecordEntry]:
    user_id = add_user(session)
    import_resources(session=session, user_id=user_id, resources=[resource], source="test")
    entry = session.exec(select(RecordEntry).where(RecordEntry.user_id == user_id)).one()
    with use_locale(lang):
        return present(entry, {}).value, entry


def test_never_smoker_reads_dutch_on_a_dutch_page_and_english_on_an_english_one(session):
    value, entry = _card_value(session, smoking(NEVER), "nl")
    assert value == "Nooit gerookt"
    assert entry.details["answer"] == [[SNOMED, "266919005"]]
    with use_locale("en"):
        assert present(entry, {}).value == "Never smoked"


def test_read_aloud_says_the_answer_in_the_readers_language(session):
    _value, entry = _card_value(session, smoking(NEVER), "nl")
    explained = explain_record(session=session, user_id=entry.user_id, entry_id=entry.id, level="standard", lang="nl")
    assert explained is not None
    assert "Nooit gerookt" in explained.speech and "Never smoker" not in explained.speech
    assert "lab" not in explained.speech.lower()  # smoking is not a lab test


def test_a_dutch_lab_answer_reads_english_on_an_english_page(session):
    nhg = "https://referentiemodel.nhg.org/tabellen/nhg-tabel-45-diagnostische-bepalingen#resultaten"
    positive = {"coding": [{"system": nhg, "code": "32", "display": "positief"}]}
    lab = smoking({"valueCodeableConcept": positive}, "laboratory")
    value, _entry = _card_value(session, lab, "en")
    assert value == "Positive"


def test_value_string_and_boolean_answers(session):
    value, entry = _card_value(session, smoking({"valueString": "Not detected"}, "laboratory"), "nl")
    assert value == "Niet aangetoond"
    with use_locale("nl"):
        entry.value_text = "yes"  # valueBoolean is stored as yes/no
        assert present(entry, {}).value == "Ja"


def test_an_unknown_answer_is_shown_as_given():
    assert answer_text("Rookt sinds 1990 een pijp", [], "en") == "Rookt sinds 1990 een pijp"
    assert answer_text("Lichtgeel, helder", [[SNOMED, "999999"]], "nl") == "Lichtgeel, helder"


@pytest.mark.parametrize(
    ("coding", "nl", "en"),
    [
        ({"system": LOINC, "code": "LA18978-9"}, "Nooit gerookt", "Never smoked"),
        ({"system": LOINC, "code": "LA15920-4"}, "Rookte vroeger", "Used to smoke"),
        ({"system": LOINC, "code": "LA6576-8"}, "Positief", "Positive"),
        ({"system": LOINC, "code": "LA11883-8"}, "Niet aangetoond", "Not detected"),
        ({"system": SNOMED, "code": "260373001"}, "Aangetoond", "Detected"),
        ({"system": SNOMED, "code": "260385009"}, "Negatief", "Negative"),
        ({"system": "http://hl7.org/fhir/v2/0078", "code": "POS"}, "Positief", "Positive"),
        ({"system": "http://terminology.hl7.org/CodeSystem/v2-0136", "code": "N"}, "Nee", "No"),
    ],
)
def test_answer_codes_in_both_languages(coding, nl, en):
    codes = answer_codes({"coding": [{**coding, "display": "whatever the source said"}]})
    assert answer_text("whatever the source said", codes, "nl") == nl
    assert answer_text("whatever the source said", codes, "en") == en


def test_every_answer_in_the_table_has_words_in_both_languages():
    for system, code in CODES:
        for lang in ("nl", "en"):
            assert answer_text("?", [[system, code]], lang) not in ("", "?")
