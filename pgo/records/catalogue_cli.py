"""`pgo catalogue check`: scores, gate failures, missing fields and fixture coverage of the catalogue."""

from __future__ import annotations

import json
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


@catalogue_command.command("coverage")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object instead of text.")
@click.option("--fail-under", type=float, default=None, help="Exit 1 when concept-or-group is below this percentage.")
def coverage_command(paths: tuple[Path, ...], as_json: bool, fail_under: float | None) -> None:
    """How the clinical resources in FHIR files would be explained: concept, group, generic or none (issue #15).

    Nothing is stored: the files are read and recognised as the import does.
    """
    from pgo.records.recognition_coverage import KINDS, measure

    result = measure(paths)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"{result.resources} clinical resources: "
            + ", ".join(f"{kind} {result.counts[kind]} ({result.share(kind):.0%})" for kind in KINDS)
        )
        for resource_type, counts in sorted(result.by_type.items()):
            click.echo(f"  {resource_type}: " + ", ".join(f"{kind} {counts[kind]}" for kind in KINDS))
        if result.unexplained:
            click.echo("only the generic text, most frequent first:")
        for (system, code, display), count in result.unexplained.most_common(40):
            click.echo(f"  {count:5} {system}|{code} {display}")
        for refusal in result.refused:
            click.echo(f"refused: {refusal}")
    if fail_under is not None and result.share("concept", "group") * 100 < fail_under:
        raise SystemExit(1)


@catalogue_command.command("recognise")
@click.option("--stored", is_flag=True, help="Recognise the records stored in the database (required).")
def recognise_command(stored: bool) -> None:
    """Recognise every stored record again with the current catalogue (after it changed), without re-importing.

    `pgo serve` does this by itself at start-up when the catalogue changed (issue #15, 2026-12-03)."""
    if not stored:
        raise click.UsageError("say what to recognise: --stored (the records in the database)")
    from pgo import db
    from pgo.db import open_engine
    from pgo.records.recognition_store import recognise_stored

    with db.session_scope(open_engine()) as session:
        read, changed = recognise_stored(session)
    click.echo(f"{read} records recognised again, {changed} changed")
