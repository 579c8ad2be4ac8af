"""FHIR XML to the FHIR JSON representation.

Cardinality and primitive types come from the element definitions that ship with ``fhir.resources`` (STU3 and
R4B model classes; R4B is the nearest to R4). Only their field metadata is read: no pydantic validation runs.
Elements the definitions do not know are still converted (as single values), so nothing is dropped.
XML is parsed safely: no DTD loading, no entity resolution, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lxml import etree

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_ABC_TYPE = re.compile(r"abc\.(\w+)Type\b")


class FhirXmlError(ValueError):
    """The XML is not well-formed FHIR XML."""


@dataclass(frozen=True)
class ElementInfo:
    is_list: bool
    kind: str  # "string", "bool", "integer", "decimal", "xhtml", "complex", "resource"
    type_name: str = ""


def _model_class(version: str, name: str):
    if version == "STU3":
        from fhir.resources.STU3 import get_fhir_model_class
    else:
        from fhir.resources.R4B import get_fhir_model_class
    try:
        return get_fhir_model_class(name)
    except (KeyError, ValueError, AttributeError, ImportError, ModuleNotFoundError):
        return None


def _element_info(annotation: str) -> ElementInfo:
    is_list = "List[" in annotation
    match = _ABC_TYPE.search(annotation)
    if match:
        name = match.group(1)
        return ElementInfo(is_list, "resource" if name in ("Resource", "FHIRAbstractModel") else "complex", name)
    if "Xhtml" in annotation:
        return ElementInfo(is_list, "xhtml")
    if annotation.startswith("bool") or "[bool" in annotation or " bool" in annotation:
        return ElementInfo(is_list, "bool")
    if "decimal.Decimal" in annotation:
        return ElementInfo(is_list, "decimal")
    if "[int" in annotation or annotation.startswith("int"):
        return ElementInfo(is_list, "integer")
    return ElementInfo(is_list, "string")


@cache
def elements_of(version: str, type_name: str) -> dict[str, ElementInfo]:
    """The elements of a FHIR type (resource, datatype or backbone element) by their JSON name."""
    model = _model_class(version, type_name)
    if model is None:
        return {}
    found: dict[str, ElementInfo] = {}
    for field in model.model_fields.values():
        alias = field.alias or ""
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if not alias or alias.startswith("_") or not extra.get("element_property"):
            continue
        found[alias] = _element_info(str(field.annotation))
    return found


def parse_xml(data: bytes) -> etree._Element:
    """Parse XML without DTDs, external entities or network access."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise FhirXmlError(str(error)) from error
    if root is None:
        raise FhirXmlError("empty document")
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None or tree.docinfo.doctype:
        raise FhirXmlError("a document type declaration (DTD) is not allowed")
    return root


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None  # comments and processing instructions
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def xml_to_json(root: etree._Element, version: str) -> dict[str, Any]:
    """The FHIR JSON of a resource element (``version`` is "R4" or "STU3")."""
    if root.tag is None or not str(root.tag).startswith("{" + FHIR_NS + "}"):
        raise FhirXmlError("the root element is not in the FHIR namespace")
    return _resource(root, version)


def _resource(element: etree._Element, version: str) -> dict[str, Any]:
    name = _local(element.tag) or ""
    result: dict[str, Any] = {"resourceType": name}
    _children(element, name, version, result)
    return result


def _children(element: etree._Element, type_name: str, version: str, target: dict[str, Any]) -> None:
    infos = elements_of(version, type_name)
    for child in element:
        name = _local(child.tag)
        if name is None:
            continue
        info = infos.get(name) or ElementInfo(False, "unknown")
        value, extra = _convert(child, name, info, version)
        _put(target, name, value, extra, info.is_list)


def _put(target: dict[str, Any], name: str, value: Any, extra: dict | None, is_list: bool) -> None:
    if is_list or name in target:  # a repeat of an element we did not know about also becomes a list
        values = target.setdefault(name, [])
        if not isinstance(values, list):
            values = target[name] = [values]
        values.append(value)
        if extra is not None or f"_{name}" in target:
            extras = target.setdefault(f"_{name}", [None] * (len(values) - 1))
            extras.append(extra)
        return
    target[name] = value
    if extra is not None:
        target[f"_{name}"] = extra


def _convert(child: etree._Element, name: str, info: ElementInfo, version: str) -> tuple[Any, dict | None]:
    if info.kind == "xhtml" or (name == "div" and str(child.tag).startswith("{" + XHTML_NS)):
        return etree.tostring(child, encoding="unicode", with_tail=False), None
    if info.kind == "resource":
        inner = [c for c in child if _local(c.tag)]
        return (_resource(inner[0], version) if inner else {}), None
    if info.kind == "complex" or (info.kind == "unknown" and "value" not in child.attrib):
        return _complex(child, info.type_name, version), None
    return _primitive(child, info, version)


def _complex(child: etree._Element, type_name: str, version: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if "id" in child.attrib:
        result["id"] = child.attrib["id"]
    if "url" in child.attrib:
        result["url"] = child.attrib["url"]
    _children(child, _inner_type(type_name), version, result)
    return result


def _inner_type(type_name: str) -> str:
    return type_name or "Element"


def _primitive(child: etree._Element, info: ElementInfo, version: str) -> tuple[Any, dict | None]:
    raw = child.attrib.get("value")
    value = _typed(raw, info.kind) if raw is not None else None
    extra: dict[str, Any] = {}
    if "id" in child.attrib:
        extra["id"] = child.attrib["id"]
    _children(child, "Element", version, extra)
    return value, (extra or None)


def _typed(raw: str, kind: str) -> Any:
    if kind == "bool":
        return {"true": True, "false": False}.get(raw, raw)
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    if kind == "decimal":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        return (
            int(number)
            if number == number.to_integral_value() and "." not in raw and "e" not in raw.lower()
            else float(raw)
        )
    return raw
