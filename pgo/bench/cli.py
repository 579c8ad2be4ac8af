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
def bench_command(quick: bool, json_file: Path | None, page_paths: tuple[str, ...]) -> None:
    """Measure import speed, page server time, throughput, page weight and Lighthouse scores (issue 8)."""
    from pgo.bench.run import FULL, QUICK, budget_lines, run

    overrides = dict(item.split("=", 1) for item in page_paths)
    results = run(QUICK if quick else FULL, say=click.echo, page_overrides=overrides)
    if results.missing_pages:
        click.echo("\nPages not measured because they do not exist yet: " + ", ".join(results.missing_pages))
    for key, why in results.skipped.items():
        click.echo(f"Skipped {key}: {why}")
    click.echo("\n== Budgets (issue 8)")
    for line in budget_lines(results):
        click.echo(line)
    if json_file:
        json_file.write_text(json.dumps(results.as_json(), indent=2, sort_keys=False) + "\n")
        click.echo(f"JSON written to {json_file}")
