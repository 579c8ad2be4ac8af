"""`pgo audit`: check the access log's keyed hash chain (exit status 1 when it is broken), print its anchor, and
re-chain a log written with plain hashes before #23."""

from __future__ import annotations

import click

from pgo import db


@click.group("audit")
def audit_group() -> None:
    """The access log (who used which patient's data)."""


@audit_group.command("verify")
@click.option("--anchor", default=None, help="A line `pgo audit anchor` printed earlier: <id>:<hash>.")
def audit_verify(anchor: str | None) -> None:
    """Recompute the access log's hash chain and report the first broken entry."""
    from pgo.accounts.audit import AccessLogBroken, AccessLogError, verify_chain
    from pgo.db import open_engine

    try:
        with db.session_scope(open_engine()) as session:
            report = verify_chain(session=session, anchor=anchor)
    except AccessLogError as error:
        raise click.UsageError(str(error)) from error
    except AccessLogBroken as error:  # the key file cannot be read (#23, 2026-12-03)
        raise click.ClickException(str(error)) from error
    click.echo(report.describe(), err=not report.ok)
    if not report.ok:
        raise SystemExit(1)


@audit_group.command("anchor")
def audit_anchor() -> None:
    """Print the chain's head as <id>:<hash>, to keep outside the database (e.g. mailed or printed daily)."""
    from pgo.accounts.audit import anchor_of, verify_chain
    from pgo.db import open_engine

    with db.session_scope(open_engine()) as session:
        report = verify_chain(session=session)
        if not report.ok:
            click.echo(report.describe(), err=True)
            raise SystemExit(1)
        click.echo(anchor_of(session=session))


@audit_group.command("rechain")
def audit_rechain() -> None:
    """Rewrite a chain of plain hashes (written before #23) with keyed ones, after checking it."""
    from pgo.accounts.audit import AccessLogBroken, rechain
    from pgo.db import open_engine

    try:
        with db.session_scope(open_engine()) as session:
            changed = rechain(session=session)
    except AccessLogBroken as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Re-chained {changed} entries with the keyed hash.")
