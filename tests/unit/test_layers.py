"""The layers stay honest: domain code never imports Flask; only the web layer, views, forms and the sandbox do.

(An AST scan rather than import-linter: one small test, no extra tool, and the rule reads as code.)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "pgo"
WEB_LIBRARIES = ("flask", "flask_wtf", "flask_babel", "werkzeug", "wtforms", "authlib.integrations.flask_client")


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
