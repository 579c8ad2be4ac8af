"""`pgo import` and `pgo export`: records from files into an account, and the whole record out as FHIR."""

from __future__ import annotations

import json
import sys

import click

from pgo import db
from pgo.i18n import _


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
    """Import FHIR files or folders (JSON, XML, NDJSON; R4 or STU3) into an account."""
    from pgo.cli import open_engine
    from pgo.records.importing import import_paths

    with db.session_scope(open_engine()) as session:
        report = import_paths(session=session, user_id=_user_id(session, email), paths=paths, source_name=source_name)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    sys.exit(0 if report.ok else 2)


@click.command("export")
@click.option("--user", "email", required=True, help="The email address of the account to export.")
def export_command(email: str) -> None:
    """Print the whole record as one FHIR R4 Bundle (JSON)."""
    from pgo.cli import open_engine
    from pgo.records.export import export_bundle

    with db.session_scope(open_engine()) as session:
        bundle = export_bundle(session=session, user_id=_user_id(session, email))
    click.echo(json.dumps(bundle, ensure_ascii=False))
