"""The `pgo` command. Every command works on the database PGO_DATABASE_URL points at, migrating it first."""

from __future__ import annotations

import sys

import click

from pgo import config, db, features
from pgo.db import open_engine


@click.group(help="pgo: a personal health environment that explains your records at your own level.")
def main() -> None:
    """The command group: its own commands below, each feature's from the manifest (pgo.features)."""


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
    features.start(engine, features.Start(recognise=True, say=click.echo))  # the catalogue changed (#15)
    if with_demo:
        _seed_demo()
    click.echo(f"pgo is running on http://{host}:{port}/  (stop with Ctrl+C)")
    if debug:
        create_app().run(host=host, port=port, debug=True)
        return
    from pgo.server import run_gunicorn

    run_gunicorn(host=host, port=port, workers=workers or settings["PGO_WORKERS"])


for _command in features.commands():  # each feature's commands, from the manifest (#19, 2026-12-03)
    main.add_command(_command)
