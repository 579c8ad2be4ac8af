"""`make mutation` (#23, 2026-12-03): mutation testing with mutmut over the modules where a wrong answer hurts a
patient or leaks data, in a copy of the project (the working tree is never touched).

Prints the score per module (mutants killed / all mutants; a mutant no selected test runs counts as survived) and
the surviving mutants; exit status 1 when a module is below the budget. Options:

    scripts/mutation.py [--modules pgo/a.py,pgo/b.py] [--tests "tests/unit tests/web/x.py"] [--budget 85]
                        [--keep DIR] [--show-survivors N]

Equivalent mutants (a change no behaviour can show) are listed in EQUIVALENT with a reason; they are left out of
the score. Not part of `make test`: a full run takes long (see README).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

# The modules of issue #23: readability gate, thresholds and advice, interpretation of results, units, consent and
# access rules, the access log, import de-duplication and refusal, measurement validation, the export.
MODULES = [
    "pgo/literacy/readability.py",
    "pgo/measurements/thresholds.py",
    "pgo/records/interpretation.py",
    "pgo/records/observations.py",
    "pgo/measurements/units.py",
    "pgo/accounts/consent.py",
    "pgo/accounts/policy.py",
    "pgo/web/access.py",
    "pgo/accounts/audit.py",
    "pgo/records/importing.py",
    "pgo/measurements/validation.py",
    "pgo/records/export.py",
]
TESTS = ["tests/unit", "tests/web"]

# mutant name -> why no test can tell it from the original
EQUIVALENT: dict[str, str] = {}

STATUS = re.compile(r"^\s*(?P<name>[\w.]+)__mutmut_\d+: (?P<status>.+)$")


def _copy_project(target: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for compiled in ROOT.glob("translations/*/LC_MESSAGES/*.mo"):
        shutil.copy2(compiled, target / compiled.relative_to(ROOT))


def _setup_cfg(modules: list[str], tests: list[str]) -> str:
    def listing(items: list[str]) -> str:
        return "\n    ".join(items)

    return (
        "[mutmut]\n"
        "source_paths=pgo\n"
        f"only_mutate={listing(modules)}\n"
        f"pytest_add_cli_args_test_selection={listing(tests)}\n"
        "pytest_add_cli_args=-p no:randomly -q\n"
        f"also_copy={listing(['templates', 'translations', 'babel.cfg', 'scripts'])}\n"
    )


def _module_of(mutant: str, modules: list[str]) -> str:
    dotted = {m.removesuffix(".py").replace("/", "."): m for m in modules}
    for name, path in dotted.items():
        if mutant.startswith(name + "."):
            return path
    return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", default=",".join(MODULES))
    parser.add_argument("--tests", default=" ".join(TESTS))
    parser.add_argument("--budget", type=float, default=85.0)
    parser.add_argument("--keep", default="", help="run in this folder and keep it (default: a temporary one)")
    parser.add_argument("--show-survivors", type=int, default=40)
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    modules = [m for m in args.modules.split(",") if m]
    tests = args.tests.split()

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pgo-mutation-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _copy_project(folder)
        (folder / "setup.cfg").write_text(_setup_cfg(modules, tests))
        env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        run = subprocess.run(
            [str(VENV_BIN / "mutmut"), "run", "--max-children", str(args.children)],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
        )
        if run.returncode not in (0, 1):
            print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
            return 2
        results = subprocess.run(
            [str(VENV_BIN / "mutmut"), "results", "--all", "true"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in results.splitlines():
        match = STATUS.match(line)
        if not match:
            continue
        name = line.strip().split(":")[0]
        if name in EQUIVALENT:
            continue
        module, status = _module_of(name, modules), match["status"].strip()
        counts[module][status] += 1
        if status != "killed":
            survivors[module].append(f"{name} ({status})")

    failed = False
    print(f"{'module':40} {'killed':>7} {'all':>5} {'score':>7}")
    for module in modules:
        total = sum(counts[module].values())
        killed = counts[module]["killed"]
        score = 100.0 * killed / total if total else 100.0
        failed |= score < args.budget
        other = ", ".join(f"{n} {s}" for s, n in sorted(counts[module].items()) if s != "killed")
        print(f"{module:40} {killed:>7} {total:>5} {score:>6.1f}%  {other}")
    for module in modules:
        if survivors[module]:
            print(f"\nsurviving in {module} (first {args.show_survivors}; `mutmut show NAME` in --keep DIR):")
            for name in survivors[module][: args.show_survivors]:
                print(f"  {name}")
    print(f"\nbudget: {args.budget:.0f}% killed in every module: {'NOT MET' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
