"""The sandbox's FHIR read API: metadata, searches by patient with paging, reads by id. Bearer tokens only."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, json, request, url_for

from pgo.sandbox.questionnaires import questionnaire_resources
from pgo.sandbox.records import patient_id
from pgo.sandbox.records import patient_resources as record_resources

FHIR_JSON = "application/fhir+json"
DEFAULT_PAGE = 10
MAX_PAGE = 100


def patient_resources(user: str) -> tuple[dict, ...]:
    """The patient's records and the questionnaires the provider asks them to fill in (Task + Questionnaire, #20)."""
    return record_resources(user) + questionnaire_resources(user)


def fhir_response(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype=FHIR_JSON)


def outcome(status: int, code: str, text: str) -> Response:
    issue = {"severity": "error", "code": code, "diagnostics": text}
    return fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, status)


def create_fhir_blueprint(protector, scope: str) -> Blueprint:
    fhir = Blueprint("fhir", __name__, url_prefix="/fhir")

    @fhir.get("/metadata")
    def metadata() -> Response:
        types = sorted({r["resourceType"] for user in ("johan", "jo") for r in patient_resources(user)})
        resources = [{"type": name, "interaction": [{"code": "read"}, {"code": "search-type"}]} for name in types]
        body = {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "kind": "instance",
            "fhirVersion": "4.0.1",
            "format": ["json"],
            "software": {"name": "pgo sandbox"},
            "rest": [{"mode": "server", "resource": resources}],
        }
        return fhir_response(body)

    @fhir.get("/<resource_type>")
    @protector(scope)
    def search(resource_type: str) -> Response:
        user = _token_user()
        wanted = request.args.get("patient")
        if wanted and wanted.removeprefix("Patient/") != patient_id(user):
            return outcome(403, "forbidden", "This token gives access to one patient only.")
        matches = [r for r in patient_resources(user) if r["resourceType"] == resource_type]
        count = min(max(_int_arg("_count", DEFAULT_PAGE), 1), MAX_PAGE)
        offset = max(_int_arg("_offset", 0), 0)
        return fhir_response(_searchset(resource_type, matches, count, offset))

    @fhir.get("/<resource_type>/<resource_id>")
    @protector(scope)
    def read(resource_type: str, resource_id: str) -> Response:
        for resource in patient_resources(_token_user()):
            if resource["resourceType"] == resource_type and resource.get("id") == resource_id:
                return fhir_response(resource)
        return outcome(404, "not-found", f"{resource_type}/{resource_id} is not known here.")

    return fhir


def _token_user() -> str:
    from authlib.integrations.flask_oauth2 import current_token

    return current_token.user_id


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        return default


def _searchset(resource_type: str, matches: list[dict], count: int, offset: int) -> dict:
    page = matches[offset : offset + count]
    base = current_app.config.get("SANDBOX_BASE_URL") or request.host_url.rstrip("/")

    def page_url(start: int) -> str:
        args = {k: v for k, v in request.args.items() if k not in ("_offset", "_count")}
        return base + url_for("fhir.search", resource_type=resource_type, _count=count, _offset=start, **args)

    links = [{"relation": "self", "url": page_url(offset)}]
    if offset + count < len(matches):
        links.append({"relation": "next", "url": page_url(offset + count)})
    entries = [
        {"fullUrl": f"{base}/fhir/{resource_type}/{r.get('id')}", "resource": r, "search": {"mode": "match"}}
        for r in page
    ]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(matches), "link": links, "entry": entries}
