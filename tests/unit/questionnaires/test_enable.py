"""enableWhen (#20): every operator, enableBehavior all/any, STU3 hasAnswer, a parent switched off, cycles."""

from __future__ import annotations

import pytest
from questionnaire_helpers import SNOMED, question, r4, stu3_medmij_style

from pgo.questionnaires.enable import enabled_items
from pgo.questionnaires.reading import read_questionnaire


def gated(*conditions, behavior=None):
    extra = {"enableWhen": list(conditions)}
    if behavior:
        extra["enableBehavior"] = behavior
    return read_questionnaire(
        r4(
            question("n", "integer"),
            question("c", "choice", answerOption=[{"valueCoding": {"system": SNOMED, "code": "a"}}]),
            question("b", "boolean"),
            question("x", "string", **extra),
        )
    )


CODING_A = {"valueCoding": {"system": SNOMED, "code": "a"}}


@pytest.mark.parametrize(
    ("operator", "value", "answer", "shown"),
    [
        ("=", 5, 5, True),
        ("=", 5, 4, False),
        ("!=", 5, 4, True),
        ("!=", 5, 5, False),
        (">", 5, 6, True),
        (">", 5, 5, False),
        ("<", 5, 4, True),
        (">=", 5, 5, True),
        ("<=", 5, 6, False),
    ],
)
def test_number_operators(operator, value, answer, shown):
    model = gated({"question": "n", "operator": operator, "answerInteger": value})
    assert ("x" in enabled_items(model, {"n": [{"valueInteger": answer}]})) is shown


def test_not_equal_needs_an_answer():
    model = gated({"question": "n", "operator": "!=", "answerInteger": 5})
    assert "x" not in enabled_items(model, {})


def test_exists():
    model = gated({"question": "b", "operator": "exists", "answerBoolean": True})
    assert "x" not in enabled_items(model, {})
    assert "x" in enabled_items(model, {"b": [{"valueBoolean": False}]})


def test_coding_matches_on_system_and_code_not_display():
    model = gated({"question": "c", "operator": "=", "answerCoding": {"system": SNOMED, "code": "a"}})
    given = {"valueCoding": {"system": SNOMED, "code": "a", "display": "Anything"}}
    assert "x" in enabled_items(model, {"c": [given]})
    other = {"valueCoding": {"system": "http://other", "code": "a"}}
    assert "x" not in enabled_items(model, {"c": [other]})


@pytest.mark.parametrize(("behavior", "shown"), [("all", False), ("any", True)])
def test_enable_behavior(behavior, shown):
    model = gated(
        {"question": "b", "operator": "=", "answerBoolean": True},
        {"question": "n", "operator": ">", "answerInteger": 10},
        behavior=behavior,
    )
    answers = {"b": [{"valueBoolean": True}], "n": [{"valueInteger": 3}]}
    assert ("x" in enabled_items(model, answers)) is shown


def test_children_of_a_switched_off_group_are_off_and_their_answers_do_not_count():
    model = read_questionnaire(
        r4(
            question("b", "boolean"),
            {
                "linkId": "g",
                "type": "group",
                "text": "G",
                "enableWhen": [{"question": "b", "operator": "=", "answerBoolean": True}],
                "item": [question("inner", "integer")],
            },
            question(
                "after", "string", enableWhen=[{"question": "inner", "operator": "exists", "answerBoolean": True}]
            ),
        )
    )
    answers = {"b": [{"valueBoolean": False}], "inner": [{"valueInteger": 1}]}
    enabled = enabled_items(model, answers)
    assert "inner" not in enabled and "after" not in enabled
    enabled = enabled_items(model, {**answers, "b": [{"valueBoolean": True}]})
    assert {"g", "inner", "after"} <= enabled


def test_stu3_has_answer_and_answer_x():
    model = read_questionnaire(stu3_medmij_style())
    yes = {"valueCoding": {"system": SNOMED, "code": "373066001"}}
    assert enabled_items(model, {}) == {"1", "4"}
    assert enabled_items(model, {"1": [yes]}) == {"1", "2", "4"}
    assert enabled_items(model, {"1": [yes], "2": [{"valueInteger": 4}]}) == {"1", "2", "3", "4"}


def test_a_cycle_of_conditions_switches_both_off_instead_of_looping():
    model = read_questionnaire(
        r4(
            question("p", "boolean", enableWhen=[{"question": "q", "operator": "exists", "answerBoolean": True}]),
            question("q", "boolean", enableWhen=[{"question": "p", "operator": "exists", "answerBoolean": True}]),
        )
    )
    assert enabled_items(model, {}) == set()
