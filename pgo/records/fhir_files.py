"""Reading FHIR files: a Bundle, a single resource or NDJSON, in JSON or XML, FHIR R4 or STU3.

``read_source`` turns one file into a stream of ``Entry`` objects (the resource as FHIR JSON and its fullUrl). It
raises ``RefusedFile`` with a translated message naming the file when the file cannot be read as FHIR; the caller
undoes whatever it stored of that file. NDJSON is read line by line, so a large export is never held whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pgo.i18n import _
from pgo.records import fhir_versions
from pgo.records.fhir_xml import FhirXmlError, parse_xml, xml_to_json

_RESOURCE_TYPE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")
_BOM = b"\xef\xbb\xbf"
# orjson reads an integer beyond 64 bits as a float (json keeps it exact): a run of 20 digits sends the text to json.
_DIGITS_ONLY = bytes(b"0"[0] if chr(i).isdigit() and i < 128 else b"x"[0] for i in range(256))
_TWENTY_DIGITS = b"0" * 20


class RefusedFile(ValueError):
    """A file that cannot be read as FHIR. The message (translated) names the file and says what is wrong."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.message = message


@dataclass(slots=True)
class Entry:
    resource: dict[str, Any]
    full_url: str = ""
    version: str = fhir_versions.R4
    # Parsed by orjson: every number is finite and every string valid Unicode, so the importer may serialise the
    # resource with orjson too (see pgo.records.importing._stored_text).
    plain_json: bool = False


def files_in(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: each file given, and every file inside each folder given (sorted, recursively)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            found.append(path)
    return found


def read_source(path: Path, name: str | None = None) -> Iterator[Entry]:
    """The resources in a file, each with its FHIR version. Raises RefusedFile."""
    name = name or path.name
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).removeprefix(_BOM).lstrip()
    except OSError as error:
        raise RefusedFile(name, _("%(file)s cannot be opened: %(reason)s", file=name, reason=error.strerror)) from error
    if not head:
        raise RefusedFile(name, _("%(file)s is empty.", file=name))
    if head.startswith(b"<"):
        yield from _entries_checked(name, _read_xml(path, name))
    elif head.startswith((b"{", b"[")):
        if path.suffix.lower() == ".ndjson":
            yield from _read_ndjson(path, name)
        else:
            yield from _read_json(path, name)
    else:
        raise RefusedFile(name, _("%(file)s is not a FHIR file in JSON or XML.", file=name))


def _no_constants(word: str) -> None:
    """NaN and Infinity are not JSON (RFC 8259) and not FHIR; Python's json would accept them."""
    raise ValueError(f"{word} is not valid JSON")


def _loads(data: bytes) -> tuple[Any, bool]:
    """The parsed document and whether orjson read it. orjson is several times faster than ``json`` and refuses
    NaN, Infinity, overflowing numbers, lone surrogates and invalid UTF-8; whatever it refuses (and text with
    integers too long for it) is read again by ``json`` (with NaN and Infinity refused), so what is accepted and
    every error message stay as they were."""
    if _TWENTY_DIGITS not in data.translate(_DIGITS_ONLY):
        try:
            return orjson.loads(data), True
        except orjson.JSONDecodeError:
            pass
    return json.loads(data, parse_constant=_no_constants), False


def _read_json(path: Path, name: str) -> Iterator[Entry]:
    data = path.read_bytes().removeprefix(_BOM)
    try:
        document, plain_json = _loads(data)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and b"\n" in data.strip():
            del data
            yield from _read_ndjson(path, name)
            return
        raise RefusedFile(name, _json_problem(name, error)) from error
    except (UnicodeDecodeError, RecursionError, ValueError) as error:
        raise RefusedFile(name, _("%(file)s is not valid JSON.", file=name)) from error
    del data
    entries = list(_unpack(name, document))
    if plain_json:
        for entry in entries:
            entry.plain_json = True
    yield from _entries_checked(name, entries)


def _json_problem(name: str, error: json.JSONDecodeError) -> str:
    return _("%(file)s is not valid JSON or is incomplete (near line %(line)s).", file=name, line=error.lineno)


def _read_ndjson(path: Path, name: str) -> Iterator[Entry]:
    """One resource per line, streamed. Every line takes the version the first telling line shows."""
    file_version: str | None = None
    patients: list[set[str]] = []
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.removeprefix(_BOM).strip() if number == 1 else line.strip()
            if not line:
                continue
            try:
                resource, plain_json = _loads(line)
            except (UnicodeDecodeError, RecursionError, ValueError) as error:
                raise RefusedFile(
                    name, _("%(file)s line %(line)s is not valid JSON.", file=name, line=number)
                ) from error
            for entry in (Entry(resource),) if _is_plain(resource) else _unpack(name, resource):
                found = _version_of(name, entry.resource)
                file_version = _merge_version(name, file_version, found)
                entry.version = found or file_version or fhir_versions.R4
                entry.plain_json = plain_json
                _count_patient(name, patients, entry)
                yield entry


def _read_xml(path: Path, name: str) -> list[Entry]:
    try:
        root = parse_xml(path.read_bytes())
        resource = xml_to_json(root, fhir_versions.R4)
        if _file_version(name, list(_unpack(name, resource))) == fhir_versions.STU3:
            resource = xml_to_json(root, fhir_versions.STU3)
    except FhirXmlError as error:
        raise RefusedFile(
            name, _("%(file)s is not valid FHIR XML: %(reason)s", file=name, reason=str(error))
        ) from error
    except RecursionError as error:
        raise RefusedFile(name, _("%(file)s is nested too deeply to read.", file=name)) from error
    return list(_unpack(name, resource))


def _unpack(name: str, document: Any) -> Iterator[Entry]:
    if not isinstance(document, dict) or not _RESOURCE_TYPE.match(str(document.get("resourceType", ""))):
        raise RefusedFile(name, _("%(file)s is not a FHIR resource: it has no resourceType.", file=name))
    if document["resourceType"] != "Bundle":
        yield Entry(document)
        return
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        raise RefusedFile(name, _("%(file)s is a Bundle whose entries cannot be read.", file=name))
    for item in entries:
        if not isinstance(item, dict):
            raise RefusedFile(name, _("%(file)s is a Bundle whose entries cannot be read.", file=name))
        resource = item.get("resource")
        if resource is None:
            continue  # a request without data (e.g. a delete in a transaction): nothing to keep
        full_url = item.get("fullUrl")
        url = full_url if isinstance(full_url, str) else ""
        if _is_plain(resource):
            yield Entry(resource, url)  # what the general case below gives it, without two more generators
            continue
        if _is_derived_copy(resource):
            continue  # pgo's own summary in pgo's own export: its facts are the export's other entries (#21)
        yield from (Entry(e.resource, e.full_url or url) for e in _unpack(name, resource))


def _is_derived_copy(resource: Any) -> bool:
    """A Bundle that pgo made from the records it sits beside (the patient summary in an export, #21)."""
    tags = (resource.get("meta") or {}).get("tag") if isinstance(resource, dict) else None
    return isinstance(tags, list) and any(isinstance(t, dict) and t.get("system") == "urn:pgo:derived" for t in tags)


def _is_plain(resource: Any) -> bool:
    """A resource that ``_unpack`` gives back as it is: one with a valid resourceType other than Bundle."""
    kind = resource.get("resourceType") if isinstance(resource, dict) else None
    return kind is not None and kind != "Bundle" and _RESOURCE_TYPE.match(str(kind)) is not None


def _version_of(name: str, resource: dict[str, Any]) -> str | None:
    found = fhir_versions.detect_version(resource)
    if found and found not in fhir_versions.SUPPORTED:
        raise RefusedFile(
            name,
            _("%(file)s is written in FHIR %(version)s. pgo reads FHIR R4 and STU3.", file=name, version=found),
        )
    return found


def _merge_version(name: str, so_far: str | None, found: str | None) -> str | None:
    """The version for resources that do not show their own: the first one a resource in the file shows.

    A file may mix versions (e.g. pgo's own export of a record imported from STU3 and R4 sources): each resource
    that shows its version keeps it."""
    return so_far or found


def _file_version(name: str, entries: list[Entry]) -> str:
    version: str | None = None
    for entry in entries:
        version = _merge_version(name, version, _version_of(name, entry.resource))
    return version or fhir_versions.R4


def _person_keys(entry: Entry) -> set[str]:
    """What identifies the person a Patient resource is about: identifiers, else name and birth date."""
    resource = entry.resource
    keys = {
        f"id:{i.get('system', '')}|{i.get('value')}"
        for i in resource.get("identifier") or []
        if isinstance(i, dict) and i.get("value")
    }
    names = resource.get("name") or []
    name = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    label = str(name.get("family") or name.get("text") or "").strip().lower()
    if label:
        keys.add(f"name:{label}|{resource.get('birthDate', '')}")
    return keys or {f"ref:{entry.full_url or resource.get('id') or id(resource)}"}


def _count_patient(name: str, patients: list[set[str]], entry: Entry) -> None:
    """Refuse a file about more than one person (the same person twice, e.g. from two sources, is fine)."""
    if entry.resource.get("resourceType") != "Patient":
        return
    keys = _person_keys(entry)
    for known in patients:
        if known & keys:
            known |= keys
            return
    patients.append(keys)
    if len(patients) > 1:
        raise RefusedFile(
            name, _("%(file)s holds more than one patient. Import one person's record at a time.", file=name)
        )


def _entries_checked(name: str, entries: list[Entry]) -> Iterator[Entry]:
    shown = [_version_of(name, entry.resource) for entry in entries]  # detected once per resource
    version = next((found for found in shown if found), None) or fhir_versions.R4
    patients: list[set[str]] = []
    for entry, found in zip(entries, shown, strict=True):
        _count_patient(name, patients, entry)
        entry.version = found or version
    yield from entries


def check_stream(name: str, entries: Iterable[Entry], fhir_version: str | None = None) -> Iterator[Entry]:
    """Resources handed over directly (e.g. by a provider connection), checked like the lines of NDJSON."""
    file_version = fhir_version
    patients: list[set[str]] = []
    for entry in entries:
        if not isinstance(entry.resource, dict) or not _RESOURCE_TYPE.match(
            str(entry.resource.get("resourceType", ""))
        ):
            raise RefusedFile(name, _("%(file)s is not a FHIR resource: it has no resourceType.", file=name))
        for unpacked in _unpack(name, entry.resource):
            found = _version_of(name, unpacked.resource)
            file_version = _merge_version(name, file_version, found)
            unpacked.version = found or file_version or fhir_versions.R4
            _count_patient(name, patients, unpacked)
            yield unpacked
