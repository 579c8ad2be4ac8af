"""The feature manifest (#19, 2026-12-03): the one list of features is complete, and the importer and the export
read it without any set-up call."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import SQLModel

from pgo import features
from pgo.accounts.models import Role, User
from pgo.measurements.models import Measurement
from pgo.records.importing import import_paths

PACKAGE = Path(features.__file__).resolve().parent


def unlisted_table_modules(package: Path, listed: list[str]) -> list[str]:
    """Modules under ``package`` that declare tables (``table=True``) but are not in ``listed``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if "table=True" not in path.read_text(encoding="utf-8"):
            continue
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in listed:
            found.append(name)
    return found


def test_the_manifest_names_every_module_of_tables():
    assert unlisted_table_modules(PACKAGE, features.names("models")) == []


def test_a_new_module_of_tables_outside_the_manifest_is_found(tmp_path):
    """The control case: a feature whose new models.py is not in the manifest."""
    package = tmp_path / "pgo"
    (package / "newfeature").mkdir(parents=True)
    (package / "newfeature" / "models.py").write_text("class Thing(SQLModel, table=True):\n    id: int\n")
    assert unlisted_table_modules(package, features.names("models")) == ["pgo.newfeature.models"]
    assert unlisted_table_modules(package, [*features.names("models"), "pgo.newfeature.models"]) == []


def test_every_table_of_the_metadata_comes_from_the_manifest():
    features.load_models()
    listed = set(features.names("models"))
    modules = {mapper.class_.__module__ for mapper in SQLModel._sa_registry.mappers}
    assert modules <= listed
    assert listed <= modules  # and each listed module holds tables
    assert SQLModel.metadata.tables


def test_every_name_in_the_manifest_loads():
    kinds = ("blueprints", "commands", "models", "demo", "import_listeners", "export_contributors", "outbox")
    for kind in (*kinds, "fetch_listeners", "on_start"):
        for name in features.names(kind):
            assert features.load(name) is not None, name
    assert all(hasattr(module, "bp") for module in features.blueprints())


def test_an_import_creates_measurements_without_any_set_up(session, tmp_path):
    """No connection function to call first (pgo.wiring is gone): the manifest's listener stores the vital sign."""
    user = User(email="anna@example.nl", name="Anna", role=Role.PATIENT)
    session.add(user)
    session.flush()
    category = "http://terminology.hl7.org/CodeSystem/observation-category"
    observation = {
        "resourceType": "Observation",
        "id": "hr-1",
        "status": "final",
        "category": [{"coding": [{"system": category, "code": "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "effectiveDateTime": "2025-03-01T08:30:00+01:00",
        "valueQuantity": {"value": 72, "unit": "/min"},
    }
    path = tmp_path / "heart.json"
    path.write_text(json.dumps(observation))
    assert import_paths(session=session, user_id=user.id, paths=[path]).ok
    count = session.execute(select(func.count()).select_from(Measurement).where(Measurement.user_id == user.id))
    assert count.scalar_one() == 1


def test_every_kind_the_outbox_sends_is_declared_by_its_feature():
    """The outbox imports no feature (#19): it finds each kind's sendable in the manifest."""
    from pgo.providers.sending import KIND_CATEGORY

    declared = {found.kind: found.category for found in features.outbox()}
    assert declared == KIND_CATEGORY


def test_the_staged_tables_declare_that_they_follow_the_visibility_rule():
    """records.visibility imports no feature (#19): measurements' table declares itself (``visibility.follow``)."""
    from pgo.records.visibility import staged_models

    features.load_models()
    names = {model.__tablename__ for model in staged_models()}
    records = {"record_resource", "record_provenance", "record_entry", "record_link", "record_coding"}
    assert names == {*records, "measurement"}
