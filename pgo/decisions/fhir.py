"""Decision aids and answers as FHIR R4: the aid as a Questionnaire, a patient's work as a QuestionnaireResponse.

linkIds: ``options`` (group of displays ``options.<code>``), ``considerations`` (integer 1-5 per consideration
linkId), ``chances`` (displays), ``knowledge`` (choice per question linkId), ``sure`` (booleans ``sure.<key>``),
``preference`` (choice), ``questions`` (``questions.good`` choice, ``questions.own`` string, both repeating).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, select

from pgo.clock import as_utc
from pgo.decisions.aid import NOT_SURE, AidNotFound, DecisionAid, load_aid
from pgo.decisions.models import DecisionResponse
from pgo.decisions.presenters import chance_sentence
from pgo.decisions.steps import SURE_KEYS, common_texts
from pgo.i18n import _, use_locale

BASE = "https://pgo.example.org/fhir"
LEVEL_EXTENSION = f"{BASE}/StructureDefinition/reading-level"
RESPONSE_IDENTIFIER = f"{BASE}/decision-response"


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def _preference_codings(aid: DecisionAid, lang: str) -> list[dict[str, str]]:
    with use_locale(lang):
        not_sure = _("Not sure yet")
    codings = [_coding(f"{aid.url}/option", o.code, o.name.get(lang)) for o in aid.options]
    return [*codings, _coding(f"{aid.url}/option", NOT_SURE, not_sure)]


def _good_question_codings(lang: str) -> list[dict[str, str]]:
    return [
        _coding(f"{BASE}/CodeSystem/3-goede-vragen", q.key, q.text.get(lang)) for q in common_texts()["good_questions"]
    ]


def _knowledge_codings(aid: DecisionAid, lang: str, link_id: str) -> dict[str, dict[str, str]]:
    question = next(q for q in aid.knowledge_check if q.link_id == link_id)
    return {c.code: _coding(f"{aid.url}/{link_id}", c.code, c.text.get(lang)) for c in question.choices}


def to_fhir_questionnaire(aid: DecisionAid, lang: str) -> dict[str, Any]:
    """The aid as a FHIR R4 Questionnaire in one language."""
    with use_locale(lang):
        group_titles = [_("The options"), _("What matters to me"), _("The chances"), _("Check what you know")]
        later_titles = [_("How sure do you feel?"), _("My questions for the consultation"), _("My own questions")]
    options = [
        {"linkId": f"options.{o.code}", "type": "display", "text": f"{o.name.get(lang)}: {o.summary.get(lang)}"}
        for o in aid.options
    ]
    considerations = [
        {
            "linkId": c.link_id,
            "type": "integer",
            "text": c.text.get(lang),
            "answerOption": [{"valueInteger": n} for n in range(1, 6)],
        }
        for c in aid.considerations
    ]
    chances = [
        {
            "linkId": c.link_id,
            "type": "display",
            "text": "; ".join(
                f"{o.name.get(lang)}: {chance_sentence(c.affected[o.code], c.denominator, c.outcome.get(lang), lang)}"
                for o in aid.options
            ),
        }
        for c in aid.chances
    ]
    knowledge = [
        {
            "linkId": q.link_id,
            "type": "choice",
            "text": q.question.get(lang),
            "answerOption": [{"valueCoding": c} for c in _knowledge_codings(aid, lang, q.link_id).values()],
        }
        for q in aid.knowledge_check
    ]
    sure = [
        {"linkId": f"sure.{item.key}", "type": "boolean", "text": item.text.get(lang)}
        for item in common_texts()["sure"]
    ]
    questions = [
        {
            "linkId": "questions.good",
            "type": "choice",
            "repeats": True,
            "text": later_titles[1],
            "answerOption": [{"valueCoding": c} for c in _good_question_codings(lang)],
        },
        {"linkId": "questions.own", "type": "string", "repeats": True, "text": later_titles[2]},
    ]
    return {
        "resourceType": "Questionnaire",
        "id": aid.id,
        "url": aid.url,
        "version": aid.version,
        "name": aid.id.replace("-", "_"),
        "title": aid.title.get(lang),
        "status": aid.status,
        "experimental": aid.example_content,
        "date": aid.published.isoformat(),
        "publisher": aid.author,
        "language": lang,
        "description": f"{aid.condition.get(lang)}\n\n{aid.decision.get(lang)}",
        "item": [
            {"linkId": "options", "type": "group", "text": group_titles[0], "item": options},
            {"linkId": "considerations", "type": "group", "text": group_titles[1], "item": considerations},
            {"linkId": "chances", "type": "group", "text": group_titles[2], "item": chances},
            {"linkId": "knowledge", "type": "group", "text": group_titles[3], "item": knowledge},
            {"linkId": "sure", "type": "group", "text": later_titles[0], "item": sure},
            {
                "linkId": "preference",
                "type": "choice",
                "text": aid.decision.get(lang),
                "answerOption": [{"valueCoding": c} for c in _preference_codings(aid, lang)],
            },
            {"linkId": "questions", "type": "group", "text": later_titles[1], "item": questions},
        ],
    }


def _answer_items(response: DecisionResponse, aid: DecisionAid) -> Iterator[dict[str, Any]]:
    answers, lang = response.answers, response.language
    ratings = answers.get("considerations") or {}
    items = [{"linkId": k, "answer": [{"valueInteger": v}]} for k, v in ratings.items()]
    if items:
        yield {"linkId": "considerations", "item": items}
    chosen = answers.get("knowledge") or {}
    items = [{"linkId": k, "answer": [{"valueCoding": _knowledge_codings(aid, lang, k)[v]}]} for k, v in chosen.items()]
    if items:
        yield {"linkId": "knowledge", "item": items}
    sure = answers.get("sure") or {}
    items = [{"linkId": f"sure.{k}", "answer": [{"valueBoolean": sure[k]}]} for k in SURE_KEYS if k in sure]
    if items:
        yield {"linkId": "sure", "item": items}
    if answers.get("preference"):
        coding = next(c for c in _preference_codings(aid, lang) if c["code"] == answers["preference"])
        yield {"linkId": "preference", "answer": [{"valueCoding": coding}]}
    good = {c["code"]: c for c in _good_question_codings(lang)}
    items = []
    if answers.get("good_questions"):
        items.append(
            {"linkId": "questions.good", "answer": [{"valueCoding": good[k]} for k in answers["good_questions"]]}
        )
    if answers.get("own_questions"):
        items.append({"linkId": "questions.own", "answer": [{"valueString": q} for q in answers["own_questions"]]})
    if items:
        yield {"linkId": "questions", "item": items}


def questionnaire_response(response: DecisionResponse, aid: DecisionAid) -> dict[str, Any]:
    """The patient's work on an aid as a FHIR R4 QuestionnaireResponse."""
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"decision-response-{response.id}",
        "identifier": {"system": RESPONSE_IDENTIFIER, "value": str(response.id)},
        "language": response.language,
        "extension": [{"url": LEVEL_EXTENSION, "valueCode": response.level}],
        "questionnaire": f"{aid.url}|{response.aid_version}",
        "status": str(response.status),
        "authored": as_utc(response.updated_at).isoformat(),
    }
    items = list(_answer_items(response, aid))
    if items:
        resource["item"] = items
    return resource


def fhir_resources_for_export(*, session: Session, user_id: int) -> Iterator[dict[str, Any]]:
    """Every decision-aid response of this patient as a QuestionnaireResponse, for ``pgo export``."""
    query = select(DecisionResponse).where(DecisionResponse.user_id == user_id).order_by(DecisionResponse.id)
    for response in session.exec(query):
        try:
            aid = load_aid(response.aid_id)
        except AidNotFound:
            continue
        yield questionnaire_response(response, aid)
