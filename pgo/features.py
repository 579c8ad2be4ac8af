"""The one list of features (#19, 2026-12-03): what each feature adds to the app, the `pgo` command and the data.

Everything is named by a dotted string (``"pgo.records.cli:import_command"`` for an object, ``"pgo.records.models"``
for a module) and loaded only when asked, so this module imports no feature. The app factory, the command, the
schema, the demo, the importer and the export read it; adding a feature is adding one entry below.

The entries are in the menu's order (what people use every day first, then adding records, then consent and the
access log): the menu lists each blueprint's ``NAV`` entries in this order. Records' upload pages have an entry of
their own ("imports") for that reason.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Feature:
    name: str
    blueprints: tuple[str, ...] = ()  # modules exposing ``bp`` and, optionally, ``NAV`` (menu entries)
    commands: tuple[str, ...] = ()  # click commands of the `pgo` command
    models: tuple[str, ...] = ()  # modules of tables
    demo: tuple[str, ...] = ()  # ``seed(session, people)`` steps of `pgo demo` (idempotent)
    import_listeners: tuple[str, ...] = ()  # ``fn(session=, user_id=, resources=, source=, import_file_id=)``
    export_contributors: tuple[str, ...] = ()  # ``fn(session=, user_id=)`` yields FHIR resources for the export
    outbox: tuple[str, ...] = ()  # ``Sendable`` kinds: what the feature has waiting to be sent to a provider
    # ``fn(session=, user_id=, resources=, source=, source_name=)``: what a feature takes from a provider's delivery
    fetch_listeners: tuple[str, ...] = ()
    on_start: tuple[str, ...] = ()  # ``fn(engine, start)`` when the app or the `pgo` command starts (see Start)


FEATURES: tuple[Feature, ...] = (
    Feature("web", blueprints=("pgo.web.views",)),
    Feature(
        "records",
        # the BgZ sections (#20); read-aloud of the records' explanations
        blueprints=("pgo.records.views", "pgo.records.bgz.views", "pgo.records.read_aloud_views"),
        commands=(
            "pgo.records.cli:import_command",
            "pgo.records.cli:export_command",
            "pgo.records.catalogue_cli:catalogue_command",  # what the catalogue covers, re-recognition (#15)
        ),
        models=("pgo.records.models",),
        demo=("pgo.records.demo:seed",),  # first: later steps may use the records
        on_start=(
            "pgo.records.import_runner:on_start",  # what an import cut short left behind (#17)
            "pgo.records.recognition_store:on_start",  # the catalogue changed (#15)
        ),
    ),
    Feature(
        "measurements",
        blueprints=("pgo.measurements.views",),
        models=("pgo.measurements.models",),
        demo=("pgo.measurements.demo:seed",),
        outbox=("pgo.measurements.sending:SENDABLE",),
        import_listeners=("pgo.measurements.importing:store_imported_vital_signs",),
        export_contributors=("pgo.measurements.importing:measurements_for_export",),
    ),
    Feature(
        "decisions",
        blueprints=("pgo.decisions.views",),
        models=("pgo.decisions.models",),
        demo=("pgo.decisions.demo:seed",),
        outbox=("pgo.decisions.sending:SENDABLE",),
        export_contributors=("pgo.decisions.fhir:fhir_resources_for_export",),
    ),
    Feature(
        "questionnaires",
        blueprints=("pgo.questionnaires.views",),
        models=("pgo.questionnaires.models",),
        demo=("pgo.questionnaires.demo:seed",),
        outbox=("pgo.questionnaires.sending:SENDABLE",),
        fetch_listeners=("pgo.questionnaires.store:offers_from_delivery",),  # a provider's questionnaires (#20)
        export_contributors=("pgo.questionnaires.export:fhir_resources_for_export",),
    ),
    Feature("clinic", blueprints=("pgo.clinic.measurement_views", "pgo.clinic.views")),  # the clinician's pages
    Feature("imports", blueprints=("pgo.records.import_views",)),  # records' upload pages, after the daily ones
    Feature(
        "providers",
        blueprints=("pgo.providers.views", "pgo.providers.sending_views"),  # connecting, fetching, sending
        models=("pgo.providers.models",),
        export_contributors=("pgo.providers.export:fhir_resources_for_export",),  # what was sent (#20)
    ),
    Feature(
        "summary",
        blueprints=("pgo.summary.views",),
        models=("pgo.summary.models",),
        export_contributors=("pgo.summary.ips:ips_for_export",),  # the patient summary as an IPS document (#21)
    ),
    Feature("literacy", blueprints=("pgo.literacy.views",)),
    Feature(
        "accounts",
        blueprints=("pgo.accounts.views",),
        commands=("pgo.accounts.cli:audit_group",),
        models=("pgo.accounts.models",),
        demo=("pgo.accounts.demo:seed",),  # the demo's helper (#21)
    ),
    Feature("sandbox", commands=("pgo.sandbox.cli:sandbox_command",)),
    Feature("bench", commands=("pgo.bench.cli:bench_command",)),
)

Kind = Literal[
    "blueprints",
    "commands",
    "models",
    "demo",
    "import_listeners",
    "export_contributors",
    "outbox",
    "fetch_listeners",
    "on_start",
]


def load(name: str) -> Any:
    """``"pgo.x.y"`` -> the module; ``"pgo.x.y:thing"`` -> that object of the module."""
    module_name, _, attribute = name.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def names(kind: Kind, features: tuple[Feature, ...] = FEATURES) -> list[str]:
    """The dotted names every feature gives for ``kind``, in the manifest's order."""
    return [name for feature in features for name in getattr(feature, kind)]


def each(kind: Kind, features: tuple[Feature, ...] = FEATURES) -> Iterator[Any]:
    """What every feature gives for ``kind``, loaded, in the manifest's order."""
    for name in names(kind, features):
        yield load(name)


def blueprints() -> list[Any]:
    """The blueprint modules (each with ``bp`` and optionally ``NAV``), in the menu's order."""
    return list(each("blueprints"))


def commands() -> list[Any]:
    return list(each("commands"))


def load_models() -> None:
    """Import every table module, so that ``SQLModel.metadata`` holds the whole schema."""
    for _module in each("models"):
        pass


def demo_steps() -> list[Callable]:
    return list(each("demo"))


def import_listeners() -> list[Callable]:
    return list(each("import_listeners"))


def export_contributors() -> list[Callable]:
    return list(each("export_contributors"))


def outbox() -> list[Any]:
    return list(each("outbox"))


def fetch_listeners() -> list[Callable]:
    return list(each("fetch_listeners"))


def _silent(_text: str) -> None:
    return None


@dataclass(frozen=True)
class Start:
    """What a feature's start step knows: whether the catalogue is checked for changes (the app that migrates on
    start, and `pgo serve`), the app's folder of uploads (None for the command) and how to tell the person."""

    recognise: bool = False
    uploads: Path | None = None
    say: Callable[[str], None] = _silent


def start(engine: Any, how: Start) -> None:
    """Run every feature's start step on the migrated database."""
    for step in each("on_start"):
        step(engine, how)
