"""`pgo audit verify`: check the access log's hash chain; exit status 1 when it is broken."""

from __future__ import annotations

import click

from pgo import db


@click.group("audit")
def audit_group() -> None:
    """The access log (who used which patient's data)."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Recompute the access log's hash chain and report the first broken entry."""
    from pgo.accounts.audit import verify_chain
    from pgo.cli import open_engine

    with db.session_scope(open_engine()) as session:
        report = verify_chain(session=session)
    click.echo(report.describe(), err=not report.ok)
    if not report.ok:
        raise SystemExit(1)
