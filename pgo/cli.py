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
    return engine


@click.group(help="pgo: a personal health environment that explains your records at your own level.")
def main() -> None:
    """The command group; each feature adds its commands below."""


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


# Feature commands are registered here, one line per feature module.
from pgo.literacy.cli import catalogue_command  # noqa: E402

main.add_command(catalogue_command)
