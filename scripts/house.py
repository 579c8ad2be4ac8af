"""The shape of the house in numbers (#19): module sizes, the packages' import graph and its cycles.

    .venv/bin/python scripts/house.py [--edges]

Every `import pgo...` counts, also those inside functions: a lazy import is still a dependency. A package is a
folder under `pgo/` (`records`, `web`, ...; `records.bgz` belongs to `records`); a module
straight under `pgo/` (`pgo/db.py`) is its own node, named `pgo.db`. `tests/unit/test_layers.py` reads the same
graph and holds the rules.
"""

from __future__ import annotations

import argparse
import ast
import statistics
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pgo"


def node_of(module: str, package: Path = PACKAGE) -> str | None:
    """`pgo.records.views` -> `records`; `pgo.db` -> `pgo.db`; `pgo` -> `pgo`; anything else -> None."""
    parts = module.split(".")
    if parts[0] != package.name:
        return None
    if len(parts) == 1:
        return parts[0]
    if (package / parts[1]).is_dir():
        return parts[1]
    return f"{parts[0]}.{parts[1]}"


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, package: Path = PACKAGE) -> set[str]:
    """Every module the file imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path, package).split(".")
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here if is_package else here[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            # `from pgo.records import models` imports the module pgo.records.models
            found.update(f"{prefix}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


def module_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """module -> the pgo modules it imports (only names that are modules or packages of the project)."""
    paths = sorted(package.rglob("*.py"))
    known = {module_name(p, package) for p in paths}
    graph: dict[str, set[str]] = {}
    for path in paths:
        graph[module_name(path, package)] = {m for m in imported_modules(path, package) if m in known}
    return graph


def package_graph(package: Path = PACKAGE) -> dict[str, dict[str, set[str]]]:
    """package -> package it imports -> the (module, imported module) pairs behind that edge."""
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, imports in module_graph(package).items():
        source = node_of(module, package)
        for target_module in imports:
            target = node_of(target_module, package)
            if source and target and target not in (source, package.name):
                edges[source][target].add(f"{module} -> {target_module}")
    return edges


def cycles(edges: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    nodes = set(edges) | {t for targets in edges.values() for t in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return sorted(groups, key=len, reverse=True)


def cyclic_pairs(edges: dict[str, dict[str, set[str]]]) -> list[tuple[str, str]]:
    """Pairs of packages that import each other directly."""
    return sorted((a, b) for a in edges for b in edges[a] if a < b and a in edges.get(b, {}))


def sizes(package: Path = PACKAGE) -> dict[str, int]:
    return {
        str(p.relative_to(package.parent)): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted(package.rglob("*.py"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="print every package edge with the imports behind it")
    args = parser.parse_args()
    lines = sizes()
    counts = sorted(lines.values())
    big = {name: n for name, n in lines.items() if n > 400}
    print(f"modules: {len(counts)}, lines: {sum(counts)}, median: {statistics.median(counts):.0f}, max: {counts[-1]}")
    print(f"modules over 400 lines: {len(big)}" + "".join(f"\n  {n:5} {name}" for name, n in sorted(big.items())))
    edges = package_graph()
    pairs = cyclic_pairs(edges)
    groups = cycles(edges)
    print(f"package edges: {sum(len(t) for t in edges.values())}")
    print(f"packages importing each other: {len(pairs)}" + "".join(f"\n  {a} <-> {b}" for a, b in pairs))
    print(f"package cycles (strongly connected groups): {len(groups)}" + "".join(f"\n  {g}" for g in groups))
    if args.edges:
        for source in sorted(edges):
            for target in sorted(edges[source]):
                print(f"{source} -> {target}: {', '.join(sorted(edges[source][target]))}")


if __name__ == "__main__":
    main()
