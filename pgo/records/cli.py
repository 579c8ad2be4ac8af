"""`pgo import` and `pgo export`: records from files into an account, and the whole record out as FHIR."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from pgo import db
from pgo.accounts.audit import PURPOSES
from pgo.i18n import _
from pgo.records.import_jobs import progress_of
from pgo.records.models import ImportJob


def _user_id(session, email: str) -> int:
    from pgo.accounts.service import find_user

    user = find_user(session, email)
    if user is None or user.id is None:
        raise click.ClickException(_("There is no account with the email address %(email)s.", email=email))
    return user.id


def _print_report(report) -> None:
    click.echo(_("Imported: %(n)s", n=report.imported))
    click.echo(_("Already there (duplicates): %(n)s", n=report.duplicates))
    if report.kept:
        click.echo(_("Kept but not shown:"))
        for resource_type, count in sorted(report.kept.items()):
            click.echo(f"  {resource_type}: {count}")
    if report.refused:
        click.echo(_("Refused files:"))
        for refusal in report.refused:
            click.echo(f"  {refusal.file}: {refusal.error}")


@click.command("import")
@click.option("--user", "email", required=True, help="The email address of the account to import into.")
@click.option("--source", "source_name", default=None, help="Name of the source (default: each file's name).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
def import_command(email: str, source_name: str | None, as_json: bool, paths: tuple[str, ...]) -> None:
    """Import FHIR files or folders (JSON, XML, NDJSON; R4 or STU3) into an account.

    Staged (#17): the import blocks nobody while it runs and shows a progress bar on a terminal (none when the
    output goes to a pipe or a file, or with --json)."""
    from pgo.db import open_engine
    from pgo.records.import_jobs import create_job, run_job

    engine = open_engine()
    with db.session_scope(engine) as session:
        job = create_job(session=session, user_id=_user_id(session, email), paths=paths)
    with progress_bar(enabled=not as_json and sys.stdout.isatty()) as progress:
        report = run_job(engine=engine, job_id=job.id, paths=paths, source_name=source_name, progress=progress)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    sys.exit(0 if report.ok else 2)


@contextmanager
def progress_bar(*, enabled: bool) -> Iterator[Callable[[ImportJob], None]]:
    """A progress bar of an import job on the terminal (files, resources, percentage), or nothing."""
    if not enabled:
        yield lambda _job: None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[files]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(_("Importing"), total=None, files="")

        def show(job: ImportJob) -> None:
            shown = progress_of(job)
            bar.update(
                task,
                total=max(shown.resources_expected, shown.resources_done) or None,
                completed=shown.resources_done,
                files=_("%(done)s of %(total)s files", done=shown.files_done, total=shown.files_total),
            )

        yield show


@click.command("export")
@click.option("--user", "email", required=True, help="The email address of the account to export.")
@click.option(
    "--purpose",
    type=click.Choice(PURPOSES),
    default="support",
    show_default=True,
    help="Why the record is read: written to the patient's access log.",
)
def export_command(email: str, purpose: str) -> None:
    """Print the whole record as one FHIR R4 Bundle (JSON).

    An operator reading someone's whole record: logged in that patient's access log (#17, 2026-12-03) as an export
    of all their data by the pgo system, with the purpose and the operator's name on this machine."""
    from pgo.accounts.audit import record_access
    from pgo.db import open_engine
    from pgo.records.export import export_bundle

    with db.session_scope(open_engine()) as session:
        user_id = _user_id(session, email)
        bundle = export_bundle(session=session, user_id=user_id)
        record_access(
            session=session,
            actor_id=None,
            actor_role="operator",
            team_id=None,
            patient_id=user_id,
            what="export:all",
            purpose=purpose,
            detail=f"pgo export by {_operator()}",
        )
    click.echo(json.dumps(bundle, ensure_ascii=False))


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this process (a container without /etc/passwd entry)
        return "unknown"
