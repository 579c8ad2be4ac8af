"""FHIR XML to FHIR JSON, for the sandbox's FHIR API (the Nictiz fixtures are XML, the importer reads JSON).

Which elements repeat, and which primitives are numbers or booleans, comes from the ``fhir.resources`` model
classes (STU3 for STU3 files, R4B for R4 files). Elements a model does not know (R4 and R4B differ a little) fall
back to what the document shows: an element that repeats, or a name that always repeats in FHIR, is a list.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ALWAYS_LISTS = {"extension", "modifierExtension", "coding", "identifier", "contained", "given", "line", "telecom"}
_TYPE_NAME = re.compile(r"abc\.(\w+)Type")


class FhirXmlError(ValueError):
    """The text is not a FHIR XML resource."""


@cache
def _model_class(version: str, name: str):
    if version == "STU3":
        from fhir.resources.STU3 import get_fhir_model_class
    else:
        from fhir.resources.R4B import get_fhir_model_class
    try:
        return get_fhir_model_class(name)
    except (KeyError, ValueError, ImportError, AttributeError):
        return None


@cache
def _fields(version: str, class_name: str) -> dict[str, str]:
    """Element name -> the annotation text of the model field (empty when unknown)."""
    cls = _model_class(version, class_name)
    if cls is None:
        return {}
    return {(field.alias or name): str(field.annotation) for name, field in cls.model_fields.items()}


def xml_to_json(text: bytes, *, version: str) -> dict[str, Any]:
    """One FHIR resource in XML as a FHIR JSON dict. ``version`` is "STU3" or "R4"."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(text, parser)
    except etree.XMLSyntaxError as error:
        raise FhirXmlError(str(error)) from error
    if etree.QName(root).namespace != FHIR_NS:
        raise FhirXmlError("not in the FHIR namespace")
    return _resource(root, version)


def _resource(element, version: str) -> dict[str, Any]:
    resource_type = etree.QName(element).localname
    result: dict[str, Any] = {"resourceType": resource_type}
    result.update(_children(element, version, resource_type))
    return result


def _children(element, version: str, class_name: str | None) -> dict[str, Any]:
    known = _fields(version, class_name) if class_name else {}
    names = [etree.QName(child).localname for child in element if isinstance(child.tag, str)]
    result: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        annotation = known.get(name, "")
        value, extras = _element(child, version, name, annotation)
        is_list = "List[" in annotation if annotation else (names.count(name) > 1 or name in ALWAYS_LISTS)
        _put(result, name, value, is_list)
        if extras is not None or (is_list and not isinstance(value, dict)):
            _put(result, "_" + name, extras, is_list)
    # FHIR JSON pairs ``given`` and ``_given`` by position; drop extras lists that hold nothing.
    for name in [key for key in result if key.startswith("_") and isinstance(result[key], list)]:
        if all(item is None for item in result[name]):
            del result[name]
    return result


def _put(result: dict[str, Any], name: str, value: Any, is_list: bool) -> None:
    if is_list:
        result.setdefault(name, []).append(value)
    else:
        result[name] = value


def _element(child, version: str, name: str, annotation: str) -> tuple[Any, Any]:
    """The JSON value of one element, and the ``_name`` extras of a primitive (id, extensions) or None."""
    if etree.QName(child).namespace == XHTML_NS:
        return etree.tostring(child, encoding="unicode", with_tail=False), None
    if "ResourceType" in annotation or name in ("contained", "resource"):
        inner = next((node for node in child if isinstance(node.tag, str)), None)
        return (_resource(inner, version) if inner is not None else {}), None
    if "value" in child.attrib or name in ("url",) and "url" in child.attrib:
        extras = _children(child, version, "Element") if len(child) else {}
        if child.get("id"):
            extras["id"] = child.get("id")
        return _primitive(child.get("value"), annotation), (extras or None)
    if "value" not in child.attrib and not len(child) and child.get("id") is None:
        return {}, None
    if _is_primitive(annotation):
        extras = _children(child, version, "Element")
        if child.get("id"):
            extras["id"] = child.get("id")
        return None, extras
    match = _TYPE_NAME.search(annotation)
    value = _children(child, version, match.group(1) if match else None)
    for attribute in ("id", "url"):
        if child.get(attribute) is not None:
            value = {attribute: child.get(attribute), **value}
    return value, None


def _is_primitive(annotation: str) -> bool:
    return bool(annotation) and not _TYPE_NAME.search(annotation)


def _primitive(text: str | None, annotation: str) -> Any:
    if text is None:
        return None
    if "bool" in annotation:
        return text == "true"
    if "Decimal" in annotation or "float" in annotation:
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    if re.search(r"\bint\b|Integer|PositiveInt|UnsignedInt", annotation):
        try:
            return int(text)
        except ValueError:
            return text
    return text
