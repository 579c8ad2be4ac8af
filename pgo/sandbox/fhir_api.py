"""The sandbox's FHIR read API: metadata, searches by patient with paging, reads by id. Bearer tokens only."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, json, request

from pgo.sandbox import receiving
from pgo.sandbox import search as medmij
from pgo.sandbox.questionnaires import questionnaire_resources
from pgo.sandbox.records import find_patient, patient_id
from pgo.sandbox.records import patient_resources as record_resources

FHIR_JSON = "application/fhir+json"
DEFAULT_PAGE = 10
MAX_PAGE = 100


def patient_resources(user: str) -> tuple[dict, ...]:
    """The patient's records and the questionnaires the provider asks them to fill in (Task + Questionnaire, #20),
    the Tasks as the patient's PGO last updated them."""
    updated = current_app.extensions["sandbox_inbox"].tasks_for(user)
    asked = tuple(
        updated.get(r.get("id", ""), r) if r["resourceType"] == "Task" else r for r in questionnaire_resources(user)
    )
    return record_resources(user) + asked


def fhir_response(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype=FHIR_JSON)


def outcome(status: int, code: str, text: str) -> Response:
    issue = {"severity": "error", "code": code, "diagnostics": text}
    return fhir_response({"resourceType": "OperationOutcome", "issue": [issue]}, status)


def create_fhir_blueprint(protector, scope: str, write_scope: str = "patient/*.write") -> Blueprint:
    fhir = Blueprint("fhir", __name__, url_prefix="/fhir")

    @fhir.post("/<resource_type>")
    @protector(write_scope)
    def create(resource_type: str) -> Response:
        return _create(resource_type)

    @fhir.put("/<resource_type>/<resource_id>")
    @protector(write_scope)
    def update(resource_type: str, resource_id: str) -> Response:
        return _update_task(resource_type, resource_id)

    @fhir.get("/metadata")
    def metadata() -> Response:
        """One address, two servers: with a patient's token, the FHIR version that patient's records are in."""
        types = sorted({r["resourceType"] for user in ("johan", "jo") for r in patient_resources(user)})
        resources = [{"type": name, "interaction": [{"code": "read"}, {"code": "search-type"}]} for name in types]
        body = {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "kind": "instance",
            "fhirVersion": "3.0.2" if _version_of_token(protector, scope) == "STU3" else "4.0.1",
            "format": ["json"],
            "software": {"name": "pgo sandbox"},
            "rest": [{"mode": "server", "resource": resources}],
        }
        return fhir_response(body)

    @fhir.get("/<resource_type>")
    @protector(scope)
    def search(resource_type: str) -> Response:
        return _search(resource_type, "")

    @fhir.get("/<resource_type>/$lastn")
    @protector(scope)
    def lastn(resource_type: str) -> Response:
        return _search(resource_type, "$lastn")

    @fhir.get("/<resource_type>/<resource_id>")
    @protector(scope)
    def read(resource_type: str, resource_id: str) -> Response:
        for resource in patient_resources(_token_user()):
            if resource["resourceType"] == resource_type and resource.get("id") == resource_id:
                return fhir_response(resource)
        return outcome(404, "not-found", f"{resource_type}/{resource_id} is not known here.")

    return fhir


def _create(resource_type: str) -> Response:
    """A self-measurement or a questionnaire's answers from the patient's PGO (#20): validated, about the
    token's patient, created once per identifier (If-None-Exist)."""
    behaviour = current_app.extensions["sandbox_behaviour"]
    if behaviour.failure == "refuse-writes":  # down for writes: nothing is stored
        return outcome(503, "transient", "Writing is not possible right now.")
    user = _token_user()
    patient = find_patient(user)
    resource = request.get_json(silent=True)
    try:
        receiving.validate(resource, resource_type, patient.fhir_version)
    except receiving.Refused as refused:
        return outcome(refused.status, refused.code, str(refused))
    subject = (resource.get("subject") or {}).get("reference", "")
    if subject.removeprefix("Patient/") != patient_id(user):
        return outcome(403, "forbidden", "This token gives access to one patient only.")
    inbox = current_app.extensions["sandbox_inbox"]
    kept, created = receiving.store(inbox, user, resource, request.headers.get("If-None-Exist", ""))
    if behaviour.failure == "lose-answers":  # stored, but the answer never reaches the client
        return outcome(503, "transient", "The answer was lost on the way.")
    answer = fhir_response(kept, 201 if created else 200)
    answer.headers["Location"] = f"{request.url_root.rstrip('/')}/fhir/{resource_type}/{kept['id']}/_history/1"
    return answer


def _update_task(resource_type: str, resource_id: str) -> Response:
    """A questionnaire's Task marked as answered by the patient's PGO (#20): status and output only."""
    behaviour = current_app.extensions["sandbox_behaviour"]
    if behaviour.failure in ("refuse-writes", "refuse-task-updates"):
        return outcome(503, "transient", "Writing is not possible right now.")
    if resource_type != "Task":
        return outcome(405, "not-supported", f"This server does not update {resource_type}.")
    user = _token_user()
    current = next(
        (r for r in patient_resources(user) if r["resourceType"] == "Task" and r.get("id") == resource_id), None
    )
    if current is None:
        return outcome(404, "not-found", f"Task/{resource_id} is not known here.")
    updated = request.get_json(silent=True)
    try:
        receiving.check_task_update(current, updated, find_patient(user).fhir_version)
    except receiving.Refused as refused:
        return outcome(refused.status, refused.code, str(refused))
    current_app.extensions["sandbox_inbox"].update_task(user, updated)
    return fhir_response(updated)


def _search(resource_type: str, operation: str) -> Response:
    """A MedMij search (#20): refused (400) unless the patient's FHIR version defines it; paged, with its includes."""
    user = _token_user()
    wanted = request.args.get("patient")
    if wanted and wanted.removeprefix("Patient/") != patient_id(user):
        return outcome(403, "forbidden", "This token gives access to one patient only.")
    args = list(request.args.items(multi=True))
    path = f"{resource_type}/{operation}" if operation else resource_type
    refusal = medmij.check(find_patient(user).fhir_version, path, args)
    if refusal:
        return outcome(400, "not-supported", refusal)
    resources = patient_resources(user)
    matches = medmij.run(resources, resource_type, operation, args)
    count = min(max(_int_arg("_count", DEFAULT_PAGE), 1), MAX_PAGE)
    offset = max(_int_arg("_offset", 0), 0)
    page = matches[offset : offset + count]
    return fhir_response(_searchset(path, page, medmij.included(resources, page, args), len(matches), count, offset))


def _version_of_token(protector, scope: str) -> str | None:
    """The FHIR version of the patient a valid bearer token is for; None without one."""
    if not request.headers.get("Authorization"):
        return None
    try:
        token = protector.acquire_token([scope])
    except Exception:  # noqa: BLE001 (no valid token: the metadata is public, it just cannot say more)
        return None
    patient = find_patient(token.user_id)
    return patient.fhir_version if patient else None


def _token_user() -> str:
    from authlib.integrations.flask_oauth2 import current_token

    return current_token.user_id


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        return default


def _searchset(path: str, page: list[dict], includes: list[dict], total: int, count: int, offset: int) -> dict:
    base = current_app.config.get("SANDBOX_BASE_URL") or request.host_url.rstrip("/")

    def page_url(start: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("_offset", "_count")]
        args += [("_count", str(count)), ("_offset", str(start))]
        return f"{base}/fhir/{path}?{urlencode(args, safe='|,:/$')}"

    links = [{"relation": "self", "url": page_url(offset)}]
    if offset + count < total:
        links.append({"relation": "next", "url": page_url(offset + count)})
    entries = [_entry(base, r, "match") for r in page] + [_entry(base, r, "include") for r in includes]
    return {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links, "entry": entries}


def _entry(base: str, resource: dict, mode: str) -> dict:
    full_url = f"{base}/fhir/{resource['resourceType']}/{resource.get('id')}"
    return {"fullUrl": full_url, "resource": resource, "search": {"mode": mode}}
