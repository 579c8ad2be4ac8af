"""Uploading FHIR files: the report in words, refused files change nothing, limits, roles, CSRF; the download."""

from __future__ import annotations

import io
import json

import pytest
from helpers import csrf_token
from sqlalchemy import func, select

from pgo.config import fixtures_dir
from pgo.records.models import RecordResource

OBSERVATION = {
    "resourceType": "Observation",
    "id": "bp",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
    "valueQuantity": {"value": 72, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"},
    "effectiveDateTime": "2024-03-01T10:00:00Z",
}
PRACTITIONER = {"resourceType": "Practitioner", "id": "dr", "name": [{"family": "Jansen"}]}


def bundle(*resources) -> bytes:
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    ).encode()


@pytest.fixture
def patient(make_user, sign_in):
    user = make_user("anna@example.nl")
    sign_in("anna@example.nl")
    return user


def stored(db_session) -> int:
    return db_session.execute(select(func.count()).select_from(RecordResource)).scalar_one()


def upload(client, token, *files, follow=True):
    data = {"csrf_token": token("/records/import"), "files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post("/records/import", data=data, content_type="multipart/form-data", follow_redirects=follow)


def test_good_file_gives_a_report_in_words(client, token, patient, db_session):
    response = upload(client, token, ("mine.json", bundle(OBSERVATION, PRACTITIONER)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 nieuwe gegevens toegevoegd" in html or "2 new records added" in html
    assert "gegevens van zorgverleners: 1" in html  # kept but not shown, in words
    assert 'href="/records"' in html
    assert stored(db_session) == 2
    again = upload(client, token, ("mine.json", bundle(OBSERVATION, PRACTITIONER))).get_data(as_text=True)
    assert "2 gegevens stonden er al" in again and stored(db_session) == 2  # a second upload adds nothing


def test_real_fixture_file_imports(client, token, patient, db_session):
    path = fixtures_dir() / "hl7-r4-examples" / "observation-example1.json"
    response = upload(client, token, (path.name, path.read_bytes()))
    assert response.status_code == 200 and stored(db_session) == 1


def test_bad_file_is_refused_by_name_and_changes_nothing(client, token, patient, db_session):
    response = upload(client, token, ("kapot.json", b'{"resourceType": "Observation", "status'))
    html = response.get_data(as_text=True)
    assert "<strong>kapot.json</strong>: kapot.json is geen geldige JSON" in html
    assert "Er is niets geïmporteerd." in html
    assert stored(db_session) == 0


def test_good_and_bad_files_together(client, token, patient, db_session):
    html = upload(client, token, ("goed.json", bundle(OBSERVATION)), ("notes.txt", b"hello")).get_data(as_text=True)
    assert "notes.txt is geen JSON-, XML- of NDJSON-bestand." in html
    assert "1 nieuw gegeven toegevoegd." in html
    assert stored(db_session) == 1


def test_names_are_sanitised(client, token, patient, db_session):
    html = upload(client, token, ("../../etc/<evil> name.json", b"not json")).get_data(as_text=True)
    assert "<strong>_evil_ name.json</strong>" in html and "etc" not in html.split("<main")[1]
    assert stored(db_session) == 0


def test_no_files_and_too_many_files_are_refused_with_400(client, token, patient, db_session):
    response = client.post("/records/import", data={"csrf_token": token("/records/import")})
    assert response.status_code == 400 and "Kies een of meer bestanden" in response.get_data(as_text=True)
    files = [(f"{n}.json", bundle({**OBSERVATION, "id": str(n)})) for n in range(21)]
    response = upload(client, token, *files)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'href="#files"' in html and 'aria-invalid="true"' in html
    assert stored(db_session) == 0


def test_too_large_upload_is_refused(app, client, token, patient, db_session):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, token, ("big.json", bundle(*[{**OBSERVATION, "id": str(n)} for n in range(50)])))
    assert response.status_code == 413
    assert stored(db_session) == 0


def test_without_csrf_token_nothing_is_stored(client, patient, db_session):
    data = {"files": [(io.BytesIO(bundle(OBSERVATION)), "a.json")]}
    response = client.post("/records/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and stored(db_session) == 0


def test_only_patients_upload(client, make_user, sign_in, db_session):
    assert client.get("/records/import").status_code == 302  # signed out: to the sign-in page
    make_user("doc@example.nl", role="clinician")
    sign_in("doc@example.nl")
    assert client.get("/records/import").status_code == 403
    assert client.get("/records/export").status_code == 403
    # with a valid CSRF token, so that the CSRF 400 cannot hide a missing role check (#23)
    refused = client.post("/records/import", data={"csrf_token": csrf_token(client, "/preferences")})
    assert refused.status_code == 403 and stored(db_session) == 0


def test_report_without_an_import_goes_back_to_upload(client, patient):
    response = client.get("/records/import/report")
    assert response.status_code == 302 and response.headers["Location"].endswith("/records/import")


def test_upload_page_in_english(client, patient, token):
    client.post("/language", data={"lang": "en", "csrf_token": token("/")})
    html = client.get("/records/import").get_data(as_text=True)
    assert "Files with your records" in html and 'type="file"' in html and "multiple" in html


def test_download_my_whole_record(client, token, patient):
    upload(client, token, ("mine.json", bundle(OBSERVATION)))
    response = client.get("/records/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    exported = json.loads(response.get_data(as_text=True))
    assert exported["resourceType"] == "Bundle" and exported["type"] == "collection"
    assert [e["resource"]["id"] for e in exported["entry"]] == ["bp"]
