"""Read any FHIR Questionnaire, STU3 or R4, into the internal model (#20, 2026-12-03).

The resource is checked with fhir.resources first (R4 through its R4B models: the top-level models are R5); a
resource that is not a valid Questionnaire raises ``QuestionnaireError``.
STU3 ``option``/``options`` and R4 ``answerOption``/``answerValueSet`` become the
same ``Option`` list; a value set must be contained in the Questionnaire (``#id``) to be used.
"""

from __future__ import annotations

from typing import Any

from pgo.questionnaires.model import CHOICE_TYPES, Answer, Condition, Item, Option, Questionnaire

VERSIONS = ("R4", "STU3")
# MedMij STU3 back-ports of R4's enableBehavior and enableWhen.operator, as extensions on the item (Nictiz).
NICTIZ_BEHAVIOR = "http://nictiz.nl/fhir/StructureDefinition/questionnaire-enableBehavior"
NICTIZ_OPERATOR = "http://nictiz.nl/fhir/StructureDefinition/questionnaire-enableOperator"
R4_KEYS = ("answerOption", "answerValueSet", "enableBehavior", "answerConstraint")
STU3_KEYS = ("option", "options")


class QuestionnaireError(ValueError):
    """The resource is not a Questionnaire pgo can read."""


def guess_version(resource: dict[str, Any]) -> str:
    """STU3 or R4, from what the items use (R4 when nothing tells them apart)."""

    def visit(items: list[dict]) -> str | None:
        for item in items:
            if any(key in item for key in R4_KEYS) or any("operator" in c for c in item.get("enableWhen", [])):
                return "R4"
            if any(key in item for key in STU3_KEYS) or any("hasAnswer" in c for c in item.get("enableWhen", [])):
                return "STU3"
            if found := visit(item.get("item", [])):
                return found
        return None

    return visit(resource.get("item", [])) or "R4"


def validate_resource(resource: dict[str, Any], fhir_version: str) -> None:
    """Raise ``QuestionnaireError`` unless fhir.resources accepts the resource for this FHIR version."""
    if fhir_version == "STU3":
        from fhir.resources.STU3.questionnaire import Questionnaire as Model
    else:
        from fhir.resources.R4B.questionnaire import Questionnaire as Model
    try:
        Model.model_validate(resource)
    except Exception as error:  # pydantic's ValidationError and FHIR's own checks
        raise QuestionnaireError(f"not a valid {fhir_version} Questionnaire: {error}") from error


def read_questionnaire(resource: dict[str, Any], fhir_version: str | None = None) -> Questionnaire:
    """The questionnaire in ``resource`` (FHIR JSON); ``fhir_version`` None guesses it from the items."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise QuestionnaireError("not a Questionnaire")
    version = fhir_version or guess_version(resource)
    if version not in VERSIONS:
        raise QuestionnaireError(f"unknown FHIR version {version!r}")
    validate_resource(resource, version)
    contained = {r.get("id"): r for r in resource.get("contained", []) if r.get("resourceType") == "ValueSet"}
    counter = iter(range(1, 100_000))
    items = tuple(_item(raw, version, contained, counter) for raw in resource.get("item", []))
    questionnaire = Questionnaire(
        fhir_version=version,
        title=resource.get("title") or resource.get("name") or "",
        items=items,
        id=resource.get("id"),
        url=resource.get("url"),
        version=resource.get("version"),
        language=resource.get("language"),
        description=resource.get("description") or "",
    )
    seen: dict[str, Item] = {}
    for item in questionnaire.walk():
        if item.link_id in seen:
            raise QuestionnaireError(f"linkId {item.link_id!r} is used twice")
        seen[item.link_id] = item
    questionnaire.by_link_id.update(seen)
    return questionnaire


def _item(raw: dict, version: str, contained: dict, counter) -> Item:
    item_type = raw.get("type", "")
    extensions = {e.get("url"): e.get("valueCode") for e in raw.get("extension", [])}
    default_behavior = extensions.get(NICTIZ_BEHAVIOR) or ("any" if version == "STU3" else "all")
    operator = extensions.get(NICTIZ_OPERATOR) if version == "STU3" else None
    return Item(
        link_id=raw["linkId"],
        type=item_type,
        text=raw.get("text") or "",
        field=f"q{next(counter)}",
        prefix=raw.get("prefix") or "",
        required=bool(raw.get("required", False)),
        repeats=bool(raw.get("repeats", False)),
        read_only=bool(raw.get("readOnly", False)),
        max_length=raw.get("maxLength"),
        options=_options(raw, contained) if item_type in CHOICE_TYPES else (),
        conditions=tuple(_condition(c, operator) for c in raw.get("enableWhen", [])),
        enable_behavior=raw.get("enableBehavior") or default_behavior,
        items=tuple(_item(child, version, contained, counter) for child in raw.get("item", [])),
    )


def _value(raw: dict, prefix: str) -> Answer | None:
    """The first ``<prefix>X`` element of ``raw`` as an answer element (``answerCoding`` -> ``valueCoding``)."""
    for key, value in raw.items():
        if key.startswith(prefix) and key != prefix and key[len(prefix)].isupper():
            return {"value" + key[len(prefix) :]: value}
    return None


def _label(answer: Answer) -> str:
    ((key, value),) = answer.items()
    if key == "valueCoding":
        return value.get("display") or value.get("code") or ""
    if key == "valueReference":
        return value.get("display") or value.get("reference") or ""
    return str(value)


def _options(raw: dict, contained: dict) -> tuple[Option, ...]:
    listed = raw.get("answerOption") or raw.get("option") or []
    options = [Option(answer, _label(answer)) for entry in listed if (answer := _value(entry, "value"))]
    reference = raw.get("answerValueSet") or (raw.get("options") or {}).get("reference")
    if reference and reference.startswith("#"):
        options += _value_set_options(contained.get(reference[1:]) or {})
    return tuple(options)


def _value_set_options(value_set: dict) -> list[Option]:
    """The concepts of a contained ValueSet: its expansion, or the concepts its compose lists."""
    codings = [
        {k: v for k, v in (("system", c.get("system")), ("code", c.get("code")), ("display", c.get("display"))) if v}
        for c in (value_set.get("expansion") or {}).get("contains", [])
    ]
    if not codings:
        for include in (value_set.get("compose") or {}).get("include", []):
            for concept in include.get("concept", []):
                coding = {"system": include.get("system"), "code": concept["code"], "display": concept.get("display")}
                codings.append({k: v for k, v in coding.items() if v})
    return [Option({"valueCoding": coding}, _label({"valueCoding": coding})) for coding in codings]


def _condition(raw: dict, stu3_operator: str | None = None) -> Condition:
    if "hasAnswer" in raw:  # STU3
        return Condition(raw["question"], "exists", {"valueBoolean": bool(raw["hasAnswer"])})
    answer = _value(raw, "answer")
    return Condition(raw["question"], raw.get("operator") or stu3_operator or "=", answer)
