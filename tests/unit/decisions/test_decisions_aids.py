"""Decision aids as data: the shipped aids pass the IPDAS check, and an aid missing any criterion is refused."""

from __future__ import annotations

import copy
import re

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from pgo.decisions.aid import AIDS_DIR, AidNotFound, InvalidAid, available_aids, load_aid, parse_aid, read_aid_file
from pgo.decisions.fhir import to_fhir_questionnaire
from pgo.decisions.validation import validate_aid
from pgo.i18n import use_locale

AID_FILES = sorted(AIDS_DIR.glob("*.yaml"))


def knee_data() -> dict:
    return read_aid_file(AIDS_DIR / "knee-osteoarthritis.yaml")


def test_at_least_three_aids_ship_as_example_content():
    aids = available_aids()
    assert len(aids) >= 3
    assert all(aid.example_content and aid.status == "draft" for aid in aids)


@pytest.mark.parametrize("path", AID_FILES, ids=lambda p: p.stem)
def test_shipped_aid_passes_the_check(path):
    data = read_aid_file(path)
    assert validate_aid(data) == []
    aid = load_aid(path.stem)
    assert aid.id == path.stem
    assert len(aid.options) >= 2
    assert aid.canonical == f"{aid.url}|{aid.version}"


def _drop_from_options(key):
    def mutate(data):
        del data["options"][0][key]

    return mutate


def _drop(key):
    def mutate(data):
        del data[key]

    return mutate


def _one_option(data):
    data["options"] = data["options"][:1]
    code = data["options"][0]["code"]
    for row in data["grid"]:
        row["answers"] = {code: row["answers"][code]}
    for chance in data["chances"]:
        chance["affected"] = {code: chance["affected"][code]}


def _no_waiting(data):
    data.pop("waiting_note", None)
    for option in data["options"]:
        option.pop("waiting", None)


def _english_missing(key):
    def mutate(data):
        data[key] = {"nl": data[key]["nl"]}

    return mutate


CRITERIA = {
    # criterion: (how to break it, a word the message must contain)
    "condition": (_drop("condition"), "condition"),
    "decision": (_drop("decision"), "decision"),
    "options": (_one_option, "two options"),
    "benefits": (_drop_from_options("benefits"), "positive features"),
    "harms": (_drop_from_options("harms"), "negative features"),
    "living_with": (_drop_from_options("living_with"), "live with"),
    "waiting": (_no_waiting, "waiting"),
    "sources": (_drop("sources"), "sources"),
    "published": (_drop("published"), "publication date"),
    "update_policy": (_drop("update_policy"), "update policy"),
    "evidence_certainty": (_drop("evidence_certainty"), "certainty of the evidence"),
    "author": (_drop("author"), "author"),
}


@pytest.mark.parametrize("criterion", CRITERIA)
def test_aid_missing_an_ipdas_criterion_is_refused(criterion):
    data = copy.deepcopy(knee_data())
    mutate, word = CRITERIA[criterion]
    mutate(data)
    with use_locale("en"):
        problems = validate_aid(data)
    assert [p.criterion for p in problems] == [criterion]
    assert word in problems[0].message
    with pytest.raises(InvalidAid, match=criterion):
        parse_aid(data)


def test_problems_are_translated_into_dutch():
    data = knee_data()
    del data["condition"]
    with use_locale("nl"):
        (problem,) = validate_aid(data)
    assert "aandoening" in problem.message


def test_a_text_in_one_language_only_is_refused():
    data = knee_data()
    _english_missing("decision")(data)
    assert [p.criterion for p in validate_aid(data)] == ["decision"]


def test_chances_need_one_shared_denominator_and_a_number_for_every_option():
    data = knee_data()
    data["chances"][0]["denominator"] = 1000
    del data["chances"][1]["affected"]["surgery"]
    wheres = {p.where for p in validate_aid(data)}
    assert wheres == {"chances[0].denominator", "chances[1].affected"}


def test_duplicate_link_ids_are_refused():
    data = knee_data()
    data["considerations"][1]["linkId"] = data["considerations"][0]["linkId"]
    assert [p.criterion for p in validate_aid(data)] == ["linkId"]


def test_unknown_aid_is_not_found():
    with pytest.raises(AidNotFound, match="^no-such-aid$"):
        load_aid("no-such-aid")
    with pytest.raises(AidNotFound, match=r"^\.\./\.\./etc/passwd$"):
        load_aid("../../etc/passwd")


@pytest.mark.parametrize(
    "name", ["README.md", "pyproject.toml", "high-blood-pressure.yaml", "aids/knee-osteoarthritis"]
)
def test_only_registered_ids_are_aids_never_a_file(name, tmp_path, monkeypatch):
    """#17: an id with a dot was read as a file in the working directory (/decisions/start/README.md: a 500)."""
    (tmp_path / "README.md").write_text("# not an aid\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AidNotFound, match=re.escape(name)):
        load_aid(name)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", AID_FILES, ids=lambda p: p.stem)
def test_questionnaire_is_valid_fhir(path, lang):
    aid = load_aid(path.stem)
    resource = to_fhir_questionnaire(aid, lang)
    questionnaire = Questionnaire.model_validate(resource)
    assert questionnaire.url == aid.url
    assert questionnaire.version == aid.version
    assert resource["language"] == lang
    assert resource["title"] == aid.title.get(lang)
