"""Fault test (#17, 2026-12-03): SIGKILL to `pgo serve` while a background import (an upload) writes. Nothing of the
import is visible, not before the next start and not after it; the next start removes what it wrote and marks the
job failed, and its page tells the patient so."""

from __future__ import annotations

import time

import pytest
import requests
from load_clients import CSRF, signed_in
from sqlalchemy import func, text
from sqlmodel import Session, select
from test_import_blocks_nobody import write_ndjson

from pgo import db
from pgo.accounts.service import create_user
from pgo.records.models import ImportJob, RecordEntry, RecordResource

pytestmark = pytest.mark.slow

RESOURCES = 20_000
PASSWORD = "een-lang-wachtwoord"
STAGED = ("record_resource", "record_entry", "record_link", "record_coding", "record_provenance", "measurement")


def _rows(engine) -> dict[str, int]:
    """Every row of the staged tables, hidden or not (plain SQL: the visibility rule does not apply)."""
    with engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in STAGED}  # noqa: S608


def _visible(engine, user_id: int) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).where(RecordResource.user_id == user_id)).one(),
            session.exec(select(func.count()).where(RecordEntry.user_id == user_id)).one(),
        )


def _job(engine) -> ImportJob | None:
    with Session(engine) as session:
        return session.exec(select(ImportJob)).first()


def test_kill_the_server_during_a_background_import(migrated_url, server_factory, tmp_path):
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        patient = create_user(session=session, email="anna@example.nl", password=PASSWORD)
    large = write_ndjson(tmp_path / "large.ndjson", RESOURCES)
    server = server_factory()
    browser = signed_in(server.url, "anna@example.nl", PASSWORD)
    token = CSRF.search(browser.get(f"{server.url}/records/import", timeout=30).text).group(1)
    with large.open("rb") as handle:
        answer = browser.post(
            f"{server.url}/records/import",
            data={"csrf_token": token},
            files={"files": ("large.ndjson", handle, "application/x-ndjson")},
            allow_redirects=False,
            timeout=60,
        )
    assert answer.status_code == 303 and "/records/import/jobs/" in answer.headers["Location"]

    deadline = time.monotonic() + 120
    while (job := _job(engine)) is None or job.resources_done < 2000:
        assert time.monotonic() < deadline, "the background import did not begin to write"
        assert job is None or job.state in ("queued", "running"), f"the import ended first: {job.state}"
        time.sleep(0.1)
    server.kill()  # SIGKILL: the worker and its import thread, no clean-up of any kind

    uploads = tmp_path / "instance" / "import-uploads"
    assert [folder.name for folder in uploads.iterdir()] == [f"job-{job.id}"]  # the upload, waiting for its job
    written = _rows(engine)
    assert written["record_resource"] > 0, "the import had written nothing yet"
    assert _visible(engine, patient.id) == (0, 0), "rows of a killed import are visible"
    assert _job(engine).state == "running"

    again = server_factory()  # the next start cleans up
    assert _rows(engine) == dict.fromkeys(STAGED, 0)
    assert _job(engine).state == "failed"
    assert list(uploads.iterdir()) == [], "the killed job's uploaded file was left behind"
    browser = signed_in(again.url, "anna@example.nl", PASSWORD)
    page = browser.get(again.url + answer.headers["Location"], timeout=30)
    assert page.status_code == 200 and "Het importeren is niet gelukt" in page.text
    engine.dispose()


def test_the_job_page_is_its_owners_alone(migrated_url, server_factory):
    """The job page is its owner's alone, also through the real server."""
    engine = db.make_engine(migrated_url)
    with db.session_scope(engine) as session:
        owner = create_user(session=session, email="anna@example.nl", password=PASSWORD)
        create_user(session=session, email="bert@example.nl", password=PASSWORD)
        job = ImportJob(user_id=owner.id, state="done", report={"added": 1, "already": 0, "kept": {}, "refused": []})
        session.add(job)
        session.flush()
        job_id = job.id
    server = server_factory()
    bert = signed_in(server.url, "bert@example.nl", PASSWORD)
    assert bert.get(f"{server.url}/records/import/jobs/{job_id}", timeout=30).status_code == 404
    anna = signed_in(server.url, "anna@example.nl", PASSWORD)
    assert anna.get(f"{server.url}/records/import/jobs/{job_id}", timeout=30).status_code == 200
    anonymous = requests.get(f"{server.url}/records/import/jobs/{job_id}", timeout=30, allow_redirects=False)
    assert anonymous.status_code == 302  # to the sign-in page
    engine.dispose()
