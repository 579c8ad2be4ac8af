"""`pgo sandbox`: run the demonstration care provider on loopback."""

from __future__ import annotations

import click

from pgo.sandbox.app import FAILURES


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5001, show_default=True)
@click.option(
    "--redirect-uri",
    "redirect_uris",
    multiple=True,
    help="Where pgo receives the answer (default: http://127.0.0.1:5000/records/providers/callback).",
)
@click.option("--misbehave", type=click.Choice([f for f in FAILURES if f]), default=None, help="For failure demos.")
def sandbox_command(host: str, port: int, redirect_uris: tuple[str, ...], misbehave: str | None) -> None:
    """Run a demonstration care provider: OAuth2 sign-in and consent, and a FHIR API with the demo records."""
    from werkzeug.serving import run_simple

    from pgo.sandbox import create_sandbox_app
    from pgo.sandbox.records import DEMO_PASSWORD, DEMO_PATIENTS

    config: dict = {"SANDBOX_FAILURE": misbehave or ""}
    if redirect_uris:
        config["SANDBOX_REDIRECT_URIS"] = list(redirect_uris)
    app = create_sandbox_app(config)
    base = f"http://{host}:{port}"
    click.echo(f"Sandbox care provider on {base}/  (stop with Ctrl+C)")
    click.echo(f"  client id:     {app.config['SANDBOX_CLIENT_ID']}")
    click.echo(f"  client secret: {app.config['SANDBOX_CLIENT_SECRET']}")
    click.echo(f"  redirect URIs: {', '.join(app.config['SANDBOX_REDIRECT_URIS'])}")
    click.echo(f"  FHIR API:      {base}/fhir  (scopes patient/*.read, patient/*.write; MedMij query sets, #20)")
    click.echo(f"Demo patients at the provider (password: {DEMO_PASSWORD}):")
    for patient in DEMO_PATIENTS:
        click.echo(f"  {patient.username}: {patient.name}")
    click.echo(f"In pgo: PGO_SANDBOX_URL={base}")
    run_simple(host, port, app, threaded=True)
