"""Imports that block nobody (#17, 2026-12-03): staged in short transactions, visible at once when done.

An import job reads, normalises and recognises its files outside any write transaction and writes each batch in
a short transaction of its own, so that other people's sign-ins and measurements wait a batch at most, never a
whole import. What it writes carries the id of its file (``import_file_id``) and stays hidden from every reader
(pgo.records.visibility) until the job's last short transaction marks all its files visible at once.

Atomic per file: a refused file's rows are removed (in short transactions too) and the next file goes on.
A job that fails, or whose process died (SIGKILL, power cut), leaves only hidden rows; the next start of pgo
(``clean_up_stale_jobs``, from the app factory and the `pgo` command) removes them.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, inspect, text, update
from sqlmodel import Session, select

from pgo.clock import utcnow
from pgo.records.fhir_files import RefusedFile, files_in
from pgo.records.import_report import as_summary
from pgo.records.importing import ImportReport, Refusal, store_file
from pgo.records.models import ImportFile, ImportJob
from pgo.records.references import resolve_pending
from pgo.records.revision import raise_revision
from pgo.records.visibility import all_rows

# A running job beats after every batch; one silent this long is taken for dead even if its pid is alive.
STALE_AFTER = timedelta(minutes=10)
CLEAN_CHUNK = 5000  # rows removed per short transaction

Progress = Callable[[ImportJob], None]


@dataclass(frozen=True)
class JobProgress:
    """What the job page shows while a job runs."""

    files_done: int
    files_total: int
    resources_done: int
    resources_expected: int

    @property
    def percentage(self) -> int:
        """Resources stored of those expected; 99 at most until the job is done (the count is an estimate)."""
        if self.resources_expected <= 0:
            return 0
        return min(99, self.resources_done * 100 // self.resources_expected)


def progress_of(job: ImportJob) -> JobProgress:
    return JobProgress(job.files_done, job.files_total, job.resources_done, job.resources_expected)


def expected_resources(path: Path) -> int:
    """About how many resources a file holds, counted without parsing it: lines of NDJSON, entries of a Bundle."""
    data = path.read_bytes()
    if path.suffix.lower() == ".ndjson":
        return sum(1 for line in data.splitlines() if line.strip())
    marker = b"<resource>" if path.suffix.lower() == ".xml" else b'"resource"'
    return max(1, data.count(marker))


def create_job(*, session: Session, user_id: int, paths: Iterable[str | Path]) -> ImportJob:
    """A queued job for the files (folders: every file in them); the caller commits."""
    files = list(files_in(paths))
    job = ImportJob(
        user_id=user_id,
        files_total=len(files),
        resources_expected=sum(expected_resources(path) for path in files),
        host=socket.gethostname()[:255],
        pid=os.getpid(),
    )
    session.add(job)
    session.flush()
    return job


def find_job(*, session: Session, user_id: int, job_id: int) -> ImportJob | None:
    """The person's job, or None (another person's job is not found either)."""
    return session.exec(select(ImportJob).where(ImportJob.id == job_id, ImportJob.user_id == user_id)).first()


def run_job(
    *,
    engine: Engine,
    job_id: int,
    paths: Iterable[str | Path],
    source_name: str | None = None,
    progress: Progress | None = None,
    refused: Iterable[Refusal] = (),
) -> ImportReport:
    """Run a queued job: each batch in its own short transaction, everything visible in the last one.

    Returns the report (also kept on the job), which starts with ``refused`` (files refused before the job, e.g.
    of a type pgo does not read). Any error other than a refused file fails the job: its rows are removed and the
    error raised again."""
    with engine.connect() as connection, Session(bind=connection, expire_on_commit=False) as session:
        all_rows(session)
        job = session.get(ImportJob, job_id)
        if job is None:
            raise LookupError(f"no import job {job_id}")
        try:
            report = ImportReport(refused=list(refused))
            _run(session, job, list(files_in(paths)), source_name, progress or (lambda _job: None), report)
        except BaseException:
            session.rollback()
            _fail(session, job_id, "failed")
            raise
    return report


def _run(
    session: Session,
    job: ImportJob,
    paths: list[Path],
    source_name: str | None,
    progress: Progress,
    report: ImportReport,
) -> None:
    job.state, job.host, job.pid, job.beat_at = "running", socket.gethostname()[:255], os.getpid(), utcnow()
    session.commit()
    progress(job)
    for path in paths:
        file = ImportFile(job_id=job.id, user_id=job.user_id, name=path.name[:255])
        session.add(file)
        session.commit()

        def batch_done(count: int) -> None:
            job.resources_done += count
            job.beat_at = utcnow()
            session.commit()  # the batch and the progress, in one short transaction
            progress(job)

        try:
            part = store_file(
                session=session,
                user_id=job.user_id,
                path=path,
                source=source_name or path.name,
                file_id=file.id,
                batch_done=batch_done,
            )
        except RefusedFile as refusal:
            session.rollback()
            report.refused.append(Refusal(refusal.file, refusal.message))
            _remove_files(session, job.user_id, [file.id])
        else:
            file.state = "written"
            report.add(part)
        job.files_done += 1
        session.commit()
        progress(job)
    _make_visible(session, job, report)
    progress(job)


def _make_visible(session: Session, job: ImportJob, report: ImportReport) -> None:
    """The job's last short transaction: its written files become visible, together with what follows from them."""
    session.execute(
        update(ImportFile).where(ImportFile.job_id == job.id, ImportFile.state == "written").values(state="visible")
    )
    resolve_pending(session=session, user_id=job.user_id)
    if report.imported or report.duplicates:
        raise_revision(session=session, user_id=job.user_id)
    job.state, job.report, job.finished_at = "done", as_summary(report), utcnow()
    session.commit()


def _fail(session: Session, job_id: int, error: str) -> None:
    job = session.get(ImportJob, job_id)
    if job is None:
        return
    files = session.exec(select(ImportFile.id).where(ImportFile.job_id == job_id)).all()
    _remove_files(session, job.user_id, list(files))
    job.state, job.error, job.finished_at = "failed", error, utcnow()
    session.commit()


# What removes a hidden file's rows, table by table (those that point at others first). The rows are looked up
# through the person's resources and records (indexed), not by the file id alone (no index).
_REMOVE = (
    ("record_link", "resource_id IN (SELECT id FROM record_resource WHERE user_id = :user_id)"),
    ("record_coding", "entry_id IN (SELECT id FROM record_entry WHERE user_id = :user_id)"),
    ("record_provenance", "resource_id IN (SELECT id FROM record_resource WHERE user_id = :user_id)"),
    ("measurement", "user_id = :user_id"),
    ("record_entry", "user_id = :user_id"),
    ("record_resource", "user_id = :user_id"),
)


def _remove_files(session: Session, user_id: int, file_ids: list[int]) -> None:
    """Remove every row of hidden files, in short transactions, then the files themselves."""
    for file_id in file_ids:
        session.execute(  # marked first: the file stays hidden however far the removal gets before a crash
            update(ImportFile).where(ImportFile.id == file_id).values(state="refused")
        )
        session.commit()
        for table, owned in _REMOVE:
            statement = text(
                f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE import_file_id = :file_id"  # noqa: S608
                f" AND {owned} LIMIT {CLEAN_CHUNK})"
            )
            while session.execute(statement, {"file_id": file_id, "user_id": user_id}).rowcount:
                session.commit()
            session.commit()
        session.execute(text("DELETE FROM import_file WHERE id = :file_id"), {"file_id": file_id})
        session.commit()


def clean_up_stale_jobs(engine: Engine) -> int:
    """Remove what jobs whose process died left behind (called on every start); how many jobs were cleaned.

    A job is stale when it is not done and its process is gone: on this machine with a pid that no longer runs,
    or silent for ``STALE_AFTER`` anywhere. Failed jobs whose clean-up was cut short are finished too."""
    if not inspect(engine).has_table(ImportJob.__tablename__):
        return 0  # a database without the schema yet (it is made after the app)
    host, cleaned = socket.gethostname()[:255], 0
    with Session(engine, expire_on_commit=False) as session:
        all_rows(session)
        jobs = session.exec(select(ImportJob).where(ImportJob.state.in_(("queued", "running", "failed")))).all()
        for job in jobs:
            if job.state != "failed" and not _is_dead(job, host):
                continue
            leftovers = select(ImportFile.id).where(ImportFile.job_id == job.id)
            if job.state == "failed" and session.exec(leftovers).first() is None:
                continue
            _fail(session, job.id, job.error or "interrupted")
            cleaned += 1
    return cleaned


def _is_dead(job: ImportJob, host: str) -> bool:
    if utcnow() - job.beat_at > STALE_AFTER:
        return True
    return job.host == host and not _pid_alive(job.pid)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed worker whose parent died too stays a zombie until an init reaps it, and a container's first
    process often never does: signal 0 still reaches it, yet it runs nothing (seen in the SIGKILL fault test,
    2026-12-03). Linux says so in /proc; elsewhere a zombie counts as alive until its job's beat goes stale."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]
