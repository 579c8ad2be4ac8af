"""The layers stay honest (#19), as tests on the import graph that `scripts/house.py` prints:

- domain code never imports Flask; only the web layer, views, forms, the sandbox and the bench do;
- the packages stand in layers and import only downwards (LAYERS), so no two packages import each other;
- `literacy` never imports `records`; `web` imports no feature;
- no feature imports another feature's `models`: it asks that feature's functions (`for_clinician.py`, ...).

Every import counts, also one inside a function. Each rule has a control case: a small made-up package that
breaks it, which the rule must catch. (An AST scan rather than import-linter: no extra tool, the rules read as code.)
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pgo"
WEB_LIBRARIES = ("flask", "flask_wtf", "flask_babel", "werkzeug", "wtforms", "authlib.integrations.flask_client")


def _load_house():
    spec = importlib.util.spec_from_file_location("house", ROOT / "scripts" / "house.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("house", module)
    spec.loader.exec_module(module)
    return module


house = _load_house()

# Bottom to top. A package may import its own layer's modules and the layers below; the ground floor is every
# module straight under pgo/ that is not in the top layer (pgo.features among them: the manifest names features by
# string and imports none, so anyone may read it). Within the features' layer a feature may ask another
# (never its models), as long as no two features import each other.
GROUND = "ground"
LAYERS: list[set[str]] = [
    {GROUND},
    {"web"},  # what every page shares: the database per request, preferences, navigation, errors, forms
    {"literacy"},  # reading levels' texts, the explanation catalogue, readability, read-aloud, recognition tables
    {"accounts"},  # people, roles, sign-in, who may see what (consent, helpers), the access log
    {"records"},  # FHIR records: import, recognition, explanations, the record pages
    {"providers"},  # provider connections: OAuth2, fetching, sending
    {"measurements", "decisions", "questionnaires", "summary"},
    {"clinic"},  # the clinician's pages: they ask the features
    {"pgo.app", "pgo.cli", "pgo.demo", "pgo.server", "sandbox", "bench", "migrations"},
]
FEATURES = {"records", "providers", "measurements", "decisions", "questionnaires", "summary", "clinic"}


def layer_of(node: str, layers: list[set[str]] = LAYERS) -> int:
    for number, members in enumerate(layers):
        if node in members:
            return number
    return 0 if node.startswith("pgo.") else len(layers)  # a new module under pgo/ is ground; a new package: top


def _edges(package: Path):
    return house.package_graph(package)


def _example(why: set[str]) -> str:
    """One import behind an edge, the most specific (``from pgo.records import queries`` names the module)."""
    return sorted(why, key=lambda line: (-len(line), line))[0]


def downward_violations(package: Path = PACKAGE, layers: list[set[str]] = LAYERS) -> list[str]:
    """Imports of a higher layer than one's own."""
    found = []
    for source, targets in _edges(package).items():
        for target, why in targets.items():
            if layer_of(target, layers) > layer_of(source, layers):
                found.append(f"{source} -> {target}: {_example(why)}")
    return sorted(found)


def cycles(package: Path = PACKAGE) -> list[list[str]]:
    return house.cycles(_edges(package))


def forbidden_imports(package: Path, source: str, targets: set[str]) -> list[str]:
    edges = _edges(package).get(source, {})
    return sorted(f"{source} -> {target}: {_example(edges[target])}" for target in targets if target in edges)


def foreign_models(package: Path = PACKAGE, features: set[str] = FEATURES) -> list[str]:
    """Modules of one feature that import another feature's models."""
    found = []
    for module, imports in house.module_graph(package).items():
        source = house.node_of(module, package)
        for target in imports:
            owner = house.node_of(target, package)
            if target.endswith(".models") and owner in features and source in features and owner != source:
                found.append(f"{module} -> {target}")
    return sorted(found)


def test_packages_import_only_downwards():
    assert downward_violations() == []


def test_no_cycles_between_packages():
    assert cycles() == []


def test_literacy_does_not_import_records():
    assert forbidden_imports(PACKAGE, "literacy", {"records"}) == []


def test_web_imports_no_feature():
    assert forbidden_imports(PACKAGE, "web", FEATURES | {"accounts", "literacy"}) == []


def test_no_feature_imports_another_features_models():
    assert foreign_models() == []


# --- control cases: a made-up package that breaks each rule -------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / "pgo"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in [package, *[p for p in package.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return package


def test_the_rules_catch_what_they_forbid(tmp_path):
    package = _write(
        tmp_path,
        {
            "db.py": "",
            "web/views.py": "from pgo.records import queries\n",  # web importing a feature
            "literacy/texts.py": "def f():\n    from pgo.records.models import Entry\n",  # a lazy import counts
            "records/models.py": "",
            "records/queries.py": "from pgo.literacy import texts\n",
            "measurements/overview.py": "from pgo.decisions.models import Offer\n",  # another feature's models
            "decisions/models.py": "from pgo.measurements import overview\n",  # ... and back: a cycle
            "clinic/views.py": "from pgo.records import queries\n",
        },
    )
    assert forbidden_imports(package, "web", FEATURES) == ["web -> records: pgo.web.views -> pgo.records.queries"]
    assert forbidden_imports(package, "literacy", {"records"}) == [
        "literacy -> records: pgo.literacy.texts -> pgo.records.models"
    ]
    assert foreign_models(package) == ["pgo.measurements.overview -> pgo.decisions.models"]
    assert sorted(cycles(package)) == [["decisions", "measurements"], ["literacy", "records"]]
    assert "literacy -> records: pgo.literacy.texts -> pgo.records.models" in downward_violations(package)
    assert "web -> records: pgo.web.views -> pgo.records.queries" in downward_violations(package)
    assert not any(v.startswith("clinic") for v in downward_violations(package))  # downwards is fine


def test_relative_imports_are_resolved(tmp_path):
    package = _write(tmp_path, {"web/views.py": "from ..records import queries\n", "records/queries.py": ""})
    assert forbidden_imports(package, "web", FEATURES) == ["web -> records: pgo.web.views -> pgo.records.queries"]


# --- Flask stays in the web layer --------------------------------------------------------------------------


def is_web_module(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    name = parts[-1]
    return (
        parts[0] in ("web", "sandbox", "bench")
        or name in ("views", "forms", "server", "oidc", "app")  # app: the app factory, pgo/app.py (#19)
        or name.endswith(("_views", "_forms"))
    )


def web_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found += [n for n in names if any(n == lib or n.startswith(lib + ".") for lib in WEB_LIBRARIES)]
    return found


def test_domain_code_does_not_import_flask():
    offenders = {
        str(path.relative_to(PACKAGE)): imports
        for path in sorted(PACKAGE.rglob("*.py"))
        if not is_web_module(path) and (imports := web_imports(path))
    }
    assert offenders == {}, f"domain modules importing the web layer: {offenders}"


def test_the_scan_sees_a_flask_import(tmp_path):
    """Control: the scanner itself finds what it looks for."""
    module = tmp_path / "x.py"
    module.write_text("from flask import g\nimport json\n")
    assert web_imports(module) == ["flask"]
