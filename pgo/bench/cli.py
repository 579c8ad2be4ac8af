"""`pgo bench [--quick] [--json FILE]`: print every figure with how it was measured; optionally write JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("bench")
@click.option("--quick", is_flag=True, help="Small sizes and no wrk/Lighthouse: a smoke test of the harness.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write JSON here.")
@click.option(
    "--page",
    "page_paths",
    multiple=True,
    metavar="NAME=PATH",
    help="Measure page NAME at PATH instead of finding it in the URL map (e.g. overview=/records).",
)
@click.option(
    "--clinic/--no-clinic",
    "clinic",
    default=None,
    help="Only the clinic of a thousand patients (issue #22) / everything but the clinic. Default: everything.",
)
def bench_command(quick: bool, json_file: Path | None, page_paths: tuple[str, ...], clinic: bool | None) -> None:
    """Measure import speed, page server time, throughput, page weight, Lighthouse scores (issue 8) and a
    clinic of a thousand patients (issue #22). PGO_BENCH_DATABASE_URL (a PostgreSQL server's maintenance
    database): the clinic on PostgreSQL too."""
    from pgo.bench import clinic as clinic_bench
    from pgo.bench.run import FULL, QUICK, budget_lines, run

    overrides = dict(item.split("=", 1) for item in page_paths)
    clinic_sizes = None if clinic is False else (clinic_bench.QUICK if quick else clinic_bench.ClinicSizes())
    results = run(
        QUICK if quick else FULL,
        say=click.echo,
        page_overrides=overrides,
        clinic_sizes=clinic_sizes,
        only_clinic=bool(clinic),
    )
    if results.missing_pages:
        click.echo("\nPages not measured because they do not exist yet: " + ", ".join(results.missing_pages))
    for key, why in results.skipped.items():
        click.echo(f"Skipped {key}: {why}")
    click.echo("\n== Budgets (issues 8 and #22)")
    for line in budget_lines(results):
        click.echo(line)
    if json_file:
        json_file.write_text(json.dumps(results.as_json(), indent=2, sort_keys=False) + "\n")
        click.echo(f"JSON written to {json_file}")
