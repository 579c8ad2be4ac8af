"""`pgo catalogue check`: scores, gate failures, missing fields and fixture coverage of the catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from pgo import config
from pgo.literacy.catalogue import load
from pgo.literacy.check import CatalogueCheck, check_catalogue
from pgo.literacy.fixture_codes import codes_in_folder


@click.group("catalogue")
def catalogue_command() -> None:
    """The explanation catalogue."""


def _print_results(outcome: CatalogueCheck, failures_only: bool) -> None:
    for result in outcome.results:
        if failures_only and not result.problems:
            continue
        mark = "FAIL" if result.problems else ("ok" if result.level != "detailed" else "--")
        click.echo(f"{mark:4} {result.entry_id} [{result.lang}/{result.level}] {result.scores.summary()}")
        for problem in result.problems:
            click.echo(f"       - {problem.message}")
    for message in outcome.missing_fields:
        click.echo(f"MISSING {message}")


def _print_coverage(outcome: CatalogueCheck) -> None:
    report = outcome.coverage
    if report is None or not report.total:
        click.echo("coverage: no fixture codes found")
        return
    click.echo(
        f"coverage of fixture codes: {len(report.covered)}/{report.total} explained "
        f"({report.fraction:.0%}), {len(report.excluded)} left to the category text on purpose, "
        f"{len(report.missing)} missing"
    )
    for system, code, reason in report.excluded:
        click.echo(f"  excluded {system}|{code}: {reason}")
    for system, code in report.missing:
        click.echo(f"  missing  {system}|{code}")


@catalogue_command.command("check")
@click.option("--fixtures", type=click.Path(path_type=Path), default=None, help="FHIR files whose codes to cover.")
@click.option("--failures-only", is_flag=True, help="Print only what fails.")
def check_command(fixtures: Path | None, failures_only: bool) -> None:
    """Print the readability scores of every entry; exit 1 on a failure, a missing field or an uncovered code."""
    folder = fixtures or config.fixtures_dir()
    codes = [(c.system, c.code) for c in codes_in_folder(folder)] if folder.is_dir() else []
    catalogue = load()
    outcome = check_catalogue(catalogue, codes)
    _print_results(outcome, failures_only)
    _print_coverage(outcome)
    gated = [r for r in outcome.results if r.level != "detailed"]
    passed = sum(1 for r in gated if not r.problems)
    click.echo(
        f"{len(catalogue.entries)} entries; gate: {passed}/{len(gated)} entry texts pass at simple/standard; "
        f"{len(outcome.missing_fields)} missing fields"
    )
    if not outcome.ok or (outcome.coverage and outcome.coverage.missing):
        raise SystemExit(1)
