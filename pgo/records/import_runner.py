"""Import jobs in the background (#17, 2026-12-03): an upload answers at once while its job runs here.

One worker thread per process runs the jobs one after another, in the uploader's language (the refusal messages
of the report). The job's state, progress and report live in the database (pgo.records.import_jobs), so any
process can show them; a job whose process dies is cleaned up when pgo starts again. The uploaded files are in a
folder of their own, removed when the job ends.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from pgo.i18n import use_locale
from pgo.records.import_jobs import run_job
from pgo.records.importing import Refusal
from pgo.records.models import ImportJob

UNCLAIMED_SECONDS = 3600  # an upload folder that never became a job's (a crash while saving) is removed after this
_JOB_FOLDER = re.compile(r"job-(\d+)")

log = logging.getLogger(__name__)


class BackgroundImports:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pgo-import")

    def submit(
        self,
        *,
        engine: Engine,
        job_id: int,
        paths: Sequence[Path],
        folder: Path,
        lang: str,
        refused: Sequence[Refusal] = (),
    ) -> Future:
        return self._executor.submit(_run, engine, job_id, list(paths), folder, lang, list(refused))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)


def _run(engine: Engine, job_id: int, paths: list[Path], folder: Path, lang: str, refused: list[Refusal]) -> None:
    try:
        with use_locale(lang):
            run_job(engine=engine, job_id=job_id, paths=paths, refused=refused)
    except Exception:  # the job is marked failed and left nothing visible; the page says so
        log.exception("import job %s failed", job_id)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def job_folder(uploads: Path, job_id: int) -> Path:
    """Where a background job's uploaded files wait for it (removed when the job ends)."""
    return uploads / f"job-{job_id}"


def remove_leftover_uploads(engine: Engine, uploads: Path) -> int:
    """On start: remove the upload folders of jobs that no longer run (their process died) and folders that never
    became a job's. How many were removed."""
    if not uploads.is_dir() or not inspect(engine).has_table(ImportJob.__tablename__):
        return 0
    with Session(engine) as session:
        running = set(session.exec(select(ImportJob.id).where(ImportJob.state.in_(("queued", "running")))).all())
    removed = 0
    for folder in uploads.iterdir():
        match = _JOB_FOLDER.fullmatch(folder.name)
        if match:
            if int(match.group(1)) in running:
                continue
        elif time.time() - folder.stat().st_mtime < UNCLAIMED_SECONDS:
            continue  # being saved right now, perhaps
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def on_start(engine: Engine, start) -> None:
    """The start step (pgo.features, #19 2026-12-03): what imports cut short left behind (#17) -- their jobs, and
    in the app their upload folders."""
    from pgo.records.import_jobs import clean_up_stale_jobs

    clean_up_stale_jobs(engine)
    if start.uploads is not None:
        remove_leftover_uploads(engine, start.uploads)
