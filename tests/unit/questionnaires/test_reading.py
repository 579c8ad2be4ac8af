"""Reading any Questionnaire, STU3 or R4, into one model (#20): a test per item type, options, value sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from questionnaire_helpers import SNOMED, every_type, question, r4, stu3_medmij_style

from pgo.questionnaires.reading import QuestionnaireError, guess_version, read_questionnaire

HL7_EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "fhir-fixtures" / "hl7-r4-examples"


@pytest.fixture(scope="module")
def model():
    return read_questionnaire(every_type())


@pytest.mark.parametrize(
    ("link_id", "kind", "element"),
    [
        ("bool", "boolean", "valueBoolean"),
        ("int", "integer", "valueInteger"),
        ("dec", "decimal", "valueDecimal"),
        ("date", "date", "valueDate"),
        ("str", "string", "valueString"),
        ("text", "text", "valueString"),
    ],
)
def test_each_typed_item_is_read_with_its_answer_element(model, link_id, kind, element):
    item = model.item(link_id)
    assert (item.type, item.element, item.supported, item.answerable) == (kind, element, True, True)
    assert item.text == f"Question {link_id}"


def test_display_and_group_are_structure_not_questions(model):
    assert model.item("intro").type == "display" and not model.item("intro").answerable
    group = model.item("g")
    assert group.type == "group" and group.supported
    assert [child.link_id for child in group.items][:3] == ["bool", "choice", "vs"]


def test_choice_options_keep_their_fhir_value_and_label(model):
    options = model.item("choice").options
    assert [o.label for o in options] == ["One", "Two"]
    assert options[0].answer == {"valueCoding": {"system": SNOMED, "code": "1", "display": "One"}}
    assert options[1].answer == {"valueString": "Two"}


def test_answer_value_set_points_to_a_contained_value_set(model):
    options = model.item("vs").options
    assert [(o.answer["valueCoding"]["code"], o.label) for o in options] == [("373066001", "Ja"), ("373067005", "Nee")]


def test_open_choice_and_repeats(model):
    assert model.item("open").type == "open-choice" and [o.label for o in model.item("open").options] == ["Red", "Blue"]
    assert model.item("many").repeats and [o.answer for o in model.item("many").options] == [
        {"valueInteger": 1},
        {"valueInteger": 2},
    ]


@pytest.mark.parametrize("link_id", ["file", "ref", "qty", "url", "time"])
def test_unsupported_item_types_are_marked_not_dropped(model, link_id):
    item = model.item(link_id)
    assert not item.supported


def test_an_unknown_item_type_is_unsupported_rather_than_refused():
    model = read_questionnaire(r4({"linkId": "a", "type": "no-such-type", "text": "x"}))
    assert not model.item("a").supported


def test_a_choice_whose_value_set_is_not_contained_is_unsupported():
    model = read_questionnaire(r4(question("x", "choice", answerValueSet="http://example.org/ValueSet/elsewhere")))
    assert not model.item("x").supported


def test_fields_are_safe_and_unique(model):
    fields = [item.field for item in model.walk()]
    assert len(fields) == len(set(fields)) and all(f.startswith("q") and f[1:].isdigit() for f in fields)


def test_stu3_medmij_style_questionnaire():
    resource = stu3_medmij_style()
    assert guess_version(resource) == "STU3"
    model = read_questionnaire(resource)
    assert model.fhir_version == "STU3"
    assert [o.label for o in model.item("1").options] == ["Ja", "Nee"]  # options -> contained ValueSet
    assert [o.label for o in model.item("3").options] == ["Soms", "Vaak"]  # option
    pain = model.item("2").conditions[0]
    assert (pain.question, pain.operator, pain.answer["valueCoding"]["code"]) == ("1", "=", "373066001")
    how_often = model.item("3").conditions[0]
    assert (how_often.operator, how_often.answer) == ("exists", {"valueBoolean": True})
    assert model.item("3").enable_behavior == "any"


def test_the_hl7_r4_example_reads():
    path = HL7_EXAMPLE / "questionnaire-example2.json"
    if not path.exists():
        pytest.skip("shared fixtures not here")
    model = read_questionnaire(json.loads(path.read_text()))
    assert model.fhir_version == "R4" and all(item.supported for item in model.walk())


@pytest.mark.parametrize(
    "resource, why",
    [
        ({"resourceType": "Patient"}, "^not a Questionnaire$"),
        ({"resourceType": "Questionnaire"}, "(?s)not a valid R4 Questionnaire.*status"),  # no status: in no version
        (r4(question("a", "string"), question("a", "string")), "linkId 'a' is used twice"),
        (r4({"type": "string", "text": "no linkId"}), "(?s)not a valid R4 Questionnaire.*linkId"),
    ],
)
def test_what_is_not_a_readable_questionnaire_is_refused(resource, why):
    with pytest.raises(QuestionnaireError, match=why):
        read_questionnaire(resource)


def test_stu3_nictiz_extensions_back_port_enable_behavior_and_operator():
    from pgo.questionnaires.enable import enabled_items

    resource = stu3_medmij_style()
    resource["item"][2]["extension"] = [
        {"url": "http://nictiz.nl/fhir/StructureDefinition/questionnaire-enableBehavior", "valueCode": "all"},
        {"url": "http://nictiz.nl/fhir/StructureDefinition/questionnaire-enableOperator", "valueCode": ">"},
    ]
    resource["item"][2]["enableWhen"] = [{"question": "2", "answerInteger": 5}]
    model = read_questionnaire(resource)
    item = model.item("3")
    assert item.enable_behavior == "all" and [c.operator for c in item.conditions] == [">"]
    yes = {"valueCoding": {"system": SNOMED, "code": "373066001"}}
    assert "3" in enabled_items(model, {"1": [yes], "2": [{"valueInteger": 7}]})
    assert "3" not in enabled_items(model, {"1": [yes], "2": [{"valueInteger": 5}]})
