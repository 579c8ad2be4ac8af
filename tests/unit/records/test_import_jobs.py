"""Staged imports (#17, 2026-12-03): short transactions, nothing visible before the job's last one, nothing left after
a refusal, a failure or a crash (cleaned up on the next start)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from records_helpers import add_user, row_counts
from sqlalchemy import func
from sqlmodel import Session, select

from pgo.measurements.models import Measurement
from pgo.records import import_jobs, importing, visibility
from pgo.records.import_jobs import clean_up_stale_jobs, create_job, run_job
from pgo.records.models import ImportFile, ImportJob, RecordEntry, RecordLink, RecordResource

STAGED_TABLES = ("record_resource", "record_entry", "record_link", "record_coding", "record_provenance", "measurement")


def observation(index: int, vital: bool = False) -> dict:
    code, unit = ("8867-4", "/min") if vital else ("2160-0", "mg/dL")
    return {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "vital-signs" if vital else "laboratory",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "effectiveDateTime": f"2021-{1 + index % 12:02d}-{1 + index % 28:02d}T08:{index % 60:02d}:00Z",
        "valueQuantity": {"value": 50 + index % 50, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }


def ndjson(path, count: int, start: int = 0):
    lines = (json.dumps(observation(i, vital=i % 10 == 0)) for i in range(start, start + count))
    path.write_text("\n".join(lines) + "\n")
    return path


def _user(engine) -> int:
    with Session(engine) as session:
        user_id = add_user(session)
        session.commit()
    return user_id


def _job(engine, user_id: int, paths) -> int:
    with Session(engine) as session:
        job = create_job(session=session, user_id=user_id, paths=paths)
        session.commit()
        return job.id


def shown(engine, user_id: int) -> tuple[int, int, int, int]:
    """What readers see: resources, records, links and measurements through the ORM (the visibility rule on)."""
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).where(RecordResource.user_id == user_id)).one(),
            session.exec(select(func.count()).where(RecordEntry.user_id == user_id)).one(),
            session.exec(select(func.count()).select_from(RecordLink)).one(),
            len(session.exec(select(Measurement).where(Measurement.user_id == user_id)).all()),
        )


def stored(engine) -> dict[str, int]:
    """Every row in the staged tables, hidden or not (plain table counts: the rule does not apply)."""
    with Session(engine) as session:
        counts = row_counts(session)
    return {name: counts[name] for name in STAGED_TABLES}


def test_nothing_is_visible_before_the_last_transaction_and_everything_after(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "STAGED_BATCH_SIZE", 100)
    user_id = _user(engine)
    path = ndjson(tmp_path / "big.ndjson", 450)
    job_id = _job(engine, user_id, [path])
    seen_while_running: list[tuple] = []

    def watch(job: ImportJob) -> None:
        if job.state == "running" and job.resources_done:
            seen_while_running.append((job.resources_done, shown(engine, user_id), stored(engine)["record_resource"]))

    report = run_job(engine=engine, job_id=job_id, paths=[path], progress=watch)

    assert report.imported == 450 and report.ok
    assert [done for done, _shown, _stored in seen_while_running] == [100, 200, 300, 400, 450, 450]  # + file done
    for done, seen, written in seen_while_running:
        assert seen == (0, 0, 0, 0), "a reader saw rows of a running import"
        assert written == done, "each batch is committed on its own"
    assert shown(engine, user_id) == (450, 450, 450, 45)
    with Session(engine) as session:
        job = session.get(ImportJob, job_id)
        assert (job.state, job.files_done, job.resources_done, job.report["added"]) == ("done", 1, 450, 450)


def test_between_batches_another_writer_gets_the_database_at_once(engine, tmp_path, monkeypatch):
    """The write lock is held per batch, not per import: between two batches a writer that does not wait gets it."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single write lock; PostgreSQL writers of other rows never wait for each other")
    monkeypatch.setattr(importing, "STAGED_BATCH_SIZE", 50)
    user_id = _user(engine)
    path = ndjson(tmp_path / "big.ndjson", 200)
    job_id = _job(engine, user_id, [path])
    free: list[bool] = []

    def try_to_write(_job: ImportJob) -> None:
        other = sqlite3.connect(engine.url.database, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
            free.append(True)
        except sqlite3.OperationalError:
            free.append(False)
        finally:
            other.close()

    run_job(engine=engine, job_id=job_id, paths=[path], progress=try_to_write)
    assert free and all(free)


def test_a_refused_file_leaves_nothing_and_the_others_are_imported(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "STAGED_BATCH_SIZE", 10)
    user_id = _user(engine)
    good = ndjson(tmp_path / "a-good.ndjson", 30)
    bad = ndjson(tmp_path / "b-bad.ndjson", 35, start=100)
    with bad.open("a") as handle:  # the refusal comes after three batches were written
        handle.write(json.dumps({**observation(999), "effectiveDateTime": "2026-02-30"}) + "\n")
    job_id = _job(engine, user_id, [good, bad])

    report = run_job(engine=engine, job_id=job_id, paths=[good, bad])

    assert report.imported == 30
    assert [r.file for r in report.refused] == ["b-bad.ndjson"]
    assert shown(engine, user_id) == (30, 30, 30, 3)
    assert stored(engine)["record_resource"] == 30, "the refused file's batches were not removed"
    with Session(engine) as session:
        assert session.exec(select(ImportFile.state)).all() == ["visible"]


def test_a_failing_job_leaves_nothing_and_says_so(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "STAGED_BATCH_SIZE", 10)
    user_id = _user(engine)
    path = ndjson(tmp_path / "a.ndjson", 40)
    job_id = _job(engine, user_id, [path])
    before = stored(engine)

    def broken(job: ImportJob) -> None:
        if job.resources_done >= 20:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        run_job(engine=engine, job_id=job_id, paths=[path], progress=broken)

    assert stored(engine) == before
    with Session(engine) as session:
        job = session.get(ImportJob, job_id)
        assert (job.state, job.error) == ("failed", "failed")
        assert session.exec(select(ImportFile)).all() == []


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_next_start_cleans_up_after_a_crashed_job(engine, tmp_path, monkeypatch):
    """A crash (here: the job's clean-up switched off, as SIGKILL would) leaves hidden rows; the next start
    removes them and marks the job failed. A job whose process still runs is left alone."""
    monkeypatch.setattr(importing, "STAGED_BATCH_SIZE", 10)
    user_id = _user(engine)
    path = ndjson(tmp_path / "a.ndjson", 40)
    job_id = _job(engine, user_id, [path])
    before = stored(engine)

    class Crash(BaseException):
        pass

    def crash(job: ImportJob) -> None:
        if job.resources_done >= 20:
            raise Crash("killed")

    with monkeypatch.context() as patched:
        patched.setattr(import_jobs, "_fail", lambda *_args: None)
        with pytest.raises(Crash, match="killed"):
            run_job(engine=engine, job_id=job_id, paths=[path], progress=crash)
    assert stored(engine)["record_resource"] == 20 and shown(engine, user_id) == (0, 0, 0, 0)

    assert clean_up_stale_jobs(engine) == 0, "the job's process (this one) still runs: not stale"
    with Session(engine) as session:
        session.get(ImportJob, job_id).pid = _dead_pid()
        session.commit()
    assert clean_up_stale_jobs(engine) == 1
    assert stored(engine) == before
    with Session(engine) as session:
        assert session.get(ImportJob, job_id).state == "failed"
        assert session.exec(select(ImportFile)).all() == []
    assert clean_up_stale_jobs(engine) == 0

    again = run_job(engine=engine, job_id=_job(engine, user_id, [path]), paths=[path])
    assert again.imported == 40 and shown(engine, user_id) == (40, 40, 40, 4)


def test_importing_the_same_file_again_stores_nothing_new(engine, tmp_path):
    user_id = _user(engine)
    path = ndjson(tmp_path / "a.ndjson", 25)
    run_job(engine=engine, job_id=_job(engine, user_id, [path]), paths=[path])
    again = run_job(engine=engine, job_id=_job(engine, user_id, [path]), paths=[path])
    assert (again.imported, again.duplicates) == (0, 25)
    assert shown(engine, user_id) == (25, 25, 25, 3)


def test_the_visibility_rule(engine):
    """Rows without a file are seen; rows of a hidden file only by a session with the rule off."""
    user_id = _user(engine)
    with Session(engine) as session:
        job = ImportJob(user_id=user_id)
        session.add(job)
        session.flush()
        hidden, done = ImportFile(job_id=job.id, user_id=user_id), ImportFile(job_id=job.id, user_id=user_id)
        done.state = "visible"
        session.add_all([hidden, done])
        session.flush()
        for number, file_id in enumerate((None, hidden.id, done.id)):
            session.add(
                RecordResource(
                    user_id=user_id,
                    resource_type="Patient",
                    fhir_version="R4",
                    content_hash=f"h{number}",
                    body={},
                    import_file_id=file_id,
                )
            )
        session.commit()
    with Session(engine) as session:
        assert sorted(r.content_hash for r in session.exec(select(RecordResource))) == ["h0", "h2"]
    with Session(engine) as session:
        visibility.all_rows(session)
        assert len(session.exec(select(RecordResource)).all()) == 3


def test_the_expected_count_and_percentage(tmp_path):
    path = ndjson(tmp_path / "a.ndjson", 12)
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "entry": [{"resource": observation(i)} for i in range(7)]}))
    assert import_jobs.expected_resources(path) == 12
    assert import_jobs.expected_resources(bundle) == 7
    assert import_jobs.JobProgress(1, 2, 50, 200).percentage == 25
    assert import_jobs.JobProgress(2, 2, 250, 200).percentage == 99  # an estimate: never 100 before the end


def test_a_killed_worker_left_as_a_zombie_counts_as_gone():
    """A zombie still answers signal 0: the old check called the crashed job's worker alive, so a container whose
    first process never reaps zombies kept the killed import's rows for good (fault test, 2026-12-03)."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from pgo.records.import_jobs import _pid_alive

    child = subprocess.Popen([sys.executable, "-c", "pass"])  # exits at once and, not waited for, stays a zombie
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
        assert time.monotonic() < deadline, "the child did not exit"
        time.sleep(0.05)
    try:
        assert _pid_alive(os.getpid()) is True  # the control: a running process
        assert _pid_alive(child.pid) is False
    finally:
        child.wait()
