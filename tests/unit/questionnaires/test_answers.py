"""Checking answers per item type (#20): what is stored, and messages in Dutch and English that say what to fix."""

from __future__ import annotations

import pytest
from questionnaire_helpers import SNOMED, every_type, question, r4

from pgo.i18n import use_locale
from pgo.questionnaires.answers import check_answers, missing_required, parse_date
from pgo.questionnaires.reading import read_questionnaire


@pytest.fixture(scope="module")
def model():
    return read_questionnaire(every_type())


def check(model, link_id, values, require=False, saved=None):
    item = model.item(link_id)
    form = {item.field: values if isinstance(values, list) else [values]}
    return check_answers(model, [item], form, saved=saved or {}, require=require)


@pytest.mark.parametrize(
    ("link_id", "typed", "stored"),
    [
        ("bool", "true", [{"valueBoolean": True}]),
        ("bool", "false", [{"valueBoolean": False}]),
        ("choice", "1", [{"valueCoding": {"system": SNOMED, "code": "1", "display": "One"}}]),
        ("choice", "2", [{"valueString": "Two"}]),
        ("vs", "2", [{"valueCoding": {"system": SNOMED, "code": "373067005", "display": "Nee"}}]),
        ("open", "1", [{"valueString": "Red"}]),
        ("int", "12", [{"valueInteger": 12}]),
        ("int", "-3", [{"valueInteger": -3}]),
        ("dec", "7,5", [{"valueDecimal": 7.5}]),
        ("dec", "7.25", [{"valueDecimal": 7.25}]),
        ("date", "2026-12-25", [{"valueDate": "2026-12-25"}]),
        ("date", "25-12-2026", [{"valueDate": "2026-12-25"}]),
        ("str", "hallo", [{"valueString": "hallo"}]),
        ("text", "een\nlange tekst", [{"valueString": "een\nlange tekst"}]),
        ("many", ["1", "2"], [{"valueInteger": 1}, {"valueInteger": 2}]),
    ],
)
def test_a_good_answer_is_stored_as_its_fhir_element(model, link_id, typed, stored):
    result = check(model, link_id, typed)
    assert result.ok, result.errors
    assert result.answers == {link_id: stored}


def test_open_choice_takes_free_text(model):
    item = model.item("open")
    result = check_answers(model, [item], {f"{item.field}-other": ["Groen"]}, saved={})
    assert result.answers == {"open": [{"valueString": "Groen"}]}


@pytest.mark.parametrize(
    ("link_id", "typed", "nl", "en"),
    [
        ("int", "twaalf", "Vul een heel getal in", "Enter a whole number"),
        ("int", "1,5", "Vul een heel getal in", "Enter a whole number"),
        ("dec", "7,5,1", "Vul een getal in", "Enter a number"),
        ("date", "31-02-2026", "Vul een datum in", "Enter a date"),
        ("date", "morgen", "Vul een datum in", "Enter a date"),
        ("str", "veel te lange tekst", "Gebruik hoogstens 10 tekens", "Use at most 10 characters"),
        ("choice", "9", "Kies uit de antwoorden", "Choose from the answers"),
        ("bool", "maybe", "Kies ja of nee", "Choose yes or no"),
        ("choice", ["1", "2"], "Kies één antwoord", "Choose one answer"),
    ],
)
def test_a_wrong_answer_says_what_to_fix_in_both_languages(model, link_id, typed, nl, en):
    for lang, expected in (("nl", nl), ("en", en)):
        with use_locale(lang):
            result = check(model, link_id, typed)
        field = model.item(link_id).field
        assert not result.ok and result.answers == {}
        assert expected in result.errors[field], (lang, result.errors)


def test_required_is_checked_unless_the_patient_stops(model):
    item = model.item("bool")
    with use_locale("nl"):
        result = check_answers(model, [item], {}, saved={}, require=True)
    assert "Kies een antwoord" in result.errors[item.field]
    assert check_answers(model, [item], {}, saved={}, require=False).ok


def test_unsupported_items_are_never_required_nor_read(model):
    file_item = model.item("file")
    assert check_answers(model, [file_item], {file_item.field: ["x"]}, saved={}, require=True).answers == {}


def test_a_question_that_is_switched_off_drops_its_answer_and_its_error():
    model = read_questionnaire(
        r4(
            question("smoke", "boolean"),
            question(
                "how-many",
                "integer",
                required=True,
                enableWhen=[{"question": "smoke", "operator": "=", "answerBoolean": True}],
            ),
        )
    )
    items = [model.item("smoke"), model.item("how-many")]
    form = {items[0].field: ["false"], items[1].field: ["abc"]}
    result = check_answers(model, items, form, saved={}, require=True)
    assert result.ok and result.answers == {"smoke": [{"valueBoolean": False}]}
    form = {items[0].field: ["true"]}
    result = check_answers(model, items, form, saved={}, require=True)
    assert list(result.errors) == [items[1].field]
    assert [item.link_id for item in missing_required(model, {"smoke": [{"valueBoolean": True}]})] == ["how-many"]
    assert missing_required(model, {"smoke": [{"valueBoolean": False}]}) == []


@pytest.mark.parametrize(
    ("text", "expected"), [("2026-01-31", "2026-01-31"), ("1-2-2026", "2026-02-01"), ("29-02-2025", None), ("x", None)]
)
def test_dates_as_people_write_them(text, expected):
    found = parse_date(text)
    assert (found.isoformat() if found else None) == expected
