"""The `pgo` command. Every command works on the database PGO_DATABASE_URL points at, migrating it first."""

from __future__ import annotations

import sys
from functools import lru_cache

import click
from sqlalchemy.engine import Engine

from pgo import config, db


@lru_cache(maxsize=1)
def open_engine() -> Engine:
    """The configured database, created or migrated to the newest schema."""
    engine = db.make_engine(config.from_environment()["PGO_DATABASE_URL"])
    db.migrate(engine)
    from pgo.records.import_jobs import clean_up_stale_jobs

    clean_up_stale_jobs(engine)  # what an import cut short left behind (#17)
    return engine


@click.group(help="pgo: a personal health environment that explains your records at your own level.")
def main() -> None:
    """The command group; each feature adds its commands below."""
    from pgo.wiring import connect_features

    connect_features()


@main.group()
def users() -> None:
    """Manage accounts."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["patient", "clinician"]), required=True)
@click.option("--name", default="", help="The name shown in the app.")
def users_add(email: str, role: str, name: str) -> None:
    """Add an account; the password is read from standard input."""
    from pgo.accounts.service import AccountError, create_user

    password = (
        sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty()
        else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    try:
        with db.session_scope(open_engine()) as session:
            user = create_user(session=session, email=email, password=password, role=role, name=name)
            click.echo(f"Added {user.role} {user.email}")
    except AccountError as error:
        raise click.ClickException(str(error)) from error


@main.command()
def demo() -> None:
    """Seed the demonstration people and their data (safe to run again)."""
    _seed_demo()


def _seed_demo() -> None:
    from pgo.demo import CLINICIAN_EMAIL, DEMO_PASSWORD, PATIENT_EMAIL, seed_demo

    with db.session_scope(open_engine()) as session:
        people = seed_demo(session=session)
    click.echo(f"Demo sign-ins (password for both: {DEMO_PASSWORD}):")
    click.echo(f"  patient:   {PATIENT_EMAIL}")
    click.echo(f"  clinician: {CLINICIAN_EMAIL}")
    for note in people.notes:
        click.echo(f"  {note}")


def _recognise_if_catalogue_changed(engine: Engine) -> None:
    """Stored records are recognised again when the catalogue changed since they were (issue #15)."""
    from pgo.records.recognition_store import recognise_if_changed

    counts = recognise_if_changed(engine)
    if counts is not None and counts[0]:
        click.echo(f"the catalogue changed: {counts[0]} records recognised again, {counts[1]} changed")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: PGO_PORT or 5000.")
@click.option("--demo", "with_demo", is_flag=True, help="Seed the demonstration data first.")
@click.option("--debug", is_flag=True, help="Flask's development server with reloading (never in production).")
@click.option("--workers", type=int, default=None, help="Worker processes (default: PGO_WORKERS or 2).")
def serve(host: str, port: int | None, with_demo: bool, debug: bool, workers: int | None) -> None:
    """Serve the app with gunicorn (a production WSGI server)."""
    from pgo import create_app

    settings = config.from_environment()
    port = port or settings["PGO_PORT"]
    engine = open_engine()  # create or migrate the database before any worker starts
    _recognise_if_catalogue_changed(engine)
    if with_demo:
        _seed_demo()
    click.echo(f"pgo is running on http://{host}:{port}/  (stop with Ctrl+C)")
    if debug:
        create_app().run(host=host, port=port, debug=True)
        return
    from pgo.server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers or settings["PGO_WORKERS"])


# Feature commands are registered here, one line per feature module.
from pgo.accounts.cli import audit_group  # noqa: E402
from pgo.records.catalogue_cli import catalogue_command  # noqa: E402
from pgo.records.cli import export_command, import_command  # noqa: E402
from pgo.sandbox.cli import sandbox_command  # noqa: E402

main.add_command(audit_group)
main.add_command(catalogue_command)
main.add_command(import_command)
main.add_command(export_command)
main.add_command(sandbox_command)
from pgo.bench.cli import bench_command  # noqa: E402

main.add_command(bench_command)
