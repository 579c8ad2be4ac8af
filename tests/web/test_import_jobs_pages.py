"""Large uploads run in the background (#17, 2026-12-03): the upload answers at once with the job's page, which
shows the progress (refreshing itself without JavaScript, polled by htmx) and then the report; only its owner
sees it; a failed job says so in the reader's language and leaves nothing visible."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from helpers import csrf_token
from sqlmodel import Session, func, select

from pgo.records.models import ImportJob, RecordEntry


def _ndjson(count: int) -> bytes:
    lines = []
    for index in range(count):
        lines.append(
            json.dumps(
                {
                    "resourceType": "Observation",
                    "id": f"o{index}",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]},
                    "effectiveDateTime": f"2021-03-{1 + index % 28:02d}",
                    "valueQuantity": {"value": index % 90, "unit": "mg/dL"},
                }
            )
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def background(app):
    app.config["PGO_IMPORT_BACKGROUND_BYTES"] = 1  # every upload in the background
    yield app
    runner = app.extensions.get("pgo_background_imports")
    if runner is not None:
        runner.shutdown()


@pytest.fixture
def anna(make_user, sign_in):
    user = make_user("anna@example.nl")
    sign_in("anna@example.nl")
    return user


def _upload(client, *files):
    data = {
        "csrf_token": csrf_token(client, "/records/import"),
        "files": [(io.BytesIO(body), name) for name, body in files],
    }
    return client.post("/records/import", data=data, content_type="multipart/form-data")


def _wait_until_done(app, job_id: int) -> ImportJob:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with Session(app.extensions["pgo_engine"]) as session:
            job = session.get(ImportJob, job_id)
            if job.state not in ("queued", "running"):
                return job
        time.sleep(0.1)
    raise AssertionError("the background import did not finish in 60 s")


def _job_id(response) -> int:
    assert response.status_code == 303
    match = re.fullmatch(r"/records/import/jobs/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _entries(app, user_id: int) -> int:
    with Session(app.extensions["pgo_engine"]) as session:
        return session.exec(select(func.count()).where(RecordEntry.user_id == user_id)).one()


def test_an_upload_answers_at_once_and_the_job_page_shows_the_report(background, client, anna):
    response = _upload(client, ("groot.ndjson", _ndjson(300)), ("notes.txt", b"hello"))
    job_id = _job_id(response)
    job = _wait_until_done(background, job_id)
    assert job.state == "done"

    html = client.get(f"/records/import/jobs/{job_id}").get_data(as_text=True)
    assert "<h1>Verslag van de import</h1>" in html
    assert "300 nieuwe gegevens toegevoegd" in html
    assert "notes.txt" in html  # refused before the job began, reported with it
    assert 'http-equiv="refresh"' not in html
    assert _entries(background, anna.id) == 300


def test_the_page_of_a_running_job_refreshes_itself_and_htmx_gets_the_progress(background, client, anna):
    with Session(background.extensions["pgo_engine"]) as session:
        job = ImportJob(user_id=anna.id, state="running", files_total=2, files_done=1, resources_expected=400)
        job.resources_done = 100
        session.add(job)
        session.commit()
        job_id = job.id

    page = client.get(f"/records/import/jobs/{job_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html  # without JavaScript
    assert 'hx-get="/records/import/jobs/' in html and 'hx-trigger="every 2s"' in html  # with htmx
    assert 'value="25"' in html and "1 van 2 bestanden" in html and "100 gegevens gelezen" in html

    partial = client.get(f"/records/import/jobs/{job_id}", headers={"HX-Request": "true"})
    assert partial.get_data(as_text=True).lstrip().startswith('<div id="import-progress"')

    with Session(background.extensions["pgo_engine"]) as session:
        session.get(ImportJob, job_id).state = "done"
        session.commit()
    finished = client.get(f"/records/import/jobs/{job_id}", headers={"HX-Request": "true"})
    assert (finished.status_code, finished.headers.get("HX-Refresh")) == (204, "true")  # the whole page again


def test_only_the_owner_sees_a_job(background, app, client, anna, make_user, sign_in):
    job_id = _job_id(_upload(client, ("a.ndjson", _ndjson(5))))
    _wait_until_done(app, job_id)
    make_user("bert@example.nl")
    sign_in("bert@example.nl")
    assert client.get(f"/records/import/jobs/{job_id}").status_code == 404


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "Er ging iets mis bij het importeren"), ("en", "Something went wrong while importing your files")],
)
def test_a_failed_job_says_so_in_the_readers_language(background, client, anna, monkeypatch, language, words):
    from pgo.records import import_jobs

    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(import_jobs, "store_file", broken)
    client.post("/language", data={"lang": language, "csrf_token": csrf_token(client, "/")})
    job_id = _job_id(_upload(client, ("a.ndjson", _ndjson(5))))
    assert _wait_until_done(background, job_id).state == "failed"
    html = client.get(f"/records/import/jobs/{job_id}").get_data(as_text=True)
    assert words in html
    assert _entries(background, anna.id) == 0


PAGES = (
    "/records",
    "/records/results",
    "/records/medication",
    "/records/problems",
    "/measurements",
    "/measurements/heart_rate/history",
    "/summary",
)


def _pages(client) -> dict[str, str]:
    """The pages' main content, without what changes per request (CSRF tokens, nonces)."""
    found = {}
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        main = response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
        found[path] = re.sub(r'value="[^"]{20,}"', "", main)
    return found


def test_the_pages_show_nothing_of_an_unfinished_import(app, client, anna, monkeypatch, tmp_path):
    """Rows an import wrote but has not made visible (it crashed) appear on no page: every reader of the record
    and the measurements goes through the visibility rule (#17)."""
    from pgo.records import import_jobs, importing
    from pgo.records.import_jobs import create_job, run_job

    path = tmp_path / "hartslag.ndjson"
    lines = [
        json.dumps(
            {
                "resourceType": "Observation",
                "id": f"hr{index}",
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "vital-signs",
                            }
                        ]
                    }
                ],
                "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
                "effectiveDateTime": f"2026-11-{1 + index:02d}T08:00:00Z",
                "valueQuantity": {"value": 123, "unit": "/min", "code": "/min"},
            }
        )
        for index in range(20)
    ]
    lines += [json.dumps(r) for r in (_medication(), _condition())]
    path.write_text("\n".join(lines) + "\n")
    engine = app.extensions["pgo_engine"]
    with Session(engine) as session:
        job_id = create_job(session=session, user_id=anna.id, paths=[path]).id
        session.commit()

    class Crash(BaseException):
        pass

    def crash(job: ImportJob) -> None:
        if job.files_done:  # every batch written, the last transaction not yet
            raise Crash("killed")

    monkeypatch.setattr(importing, "STAGED_BATCH_SIZE", 5)
    monkeypatch.setattr(import_jobs, "_fail", lambda *_args: None)  # as after SIGKILL: nothing cleaned
    with pytest.raises(Crash, match="killed"):
        run_job(engine=engine, job_id=job_id, paths=[path], progress=crash)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM record_entry").scalar() == 22
        assert connection.exec_driver_sql("SELECT count(*) FROM measurement").scalar() == 20

    # rendered for the first time now (no page kept from before): nothing of the import on any of them
    for path, main in _pages(client).items():
        for word in ("Metoprolol", "Hoge bloeddruk", "123"):
            assert word not in main, f"{path} shows {word!r} of an unfinished import"


def _medication() -> dict:
    return {
        "resourceType": "MedicationStatement",
        "id": "m1",
        "status": "active",
        "medicationCodeableConcept": {"text": "Metoprolol 50 mg"},
        "effectivePeriod": {"start": "2026-01-01"},
    }


def _condition() -> dict:
    return {
        "resourceType": "Condition",
        "id": "c1",
        "code": {"text": "Hoge bloeddruk"},
        "recordedDate": "2026-01-01",
    }
