"""`make mutation` (#23, 2026-12-03): mutation testing with mutmut over the modules where a wrong answer hurts a
patient or leaks data, in a copy of the project (the working tree is never touched).

Prints the score per module (mutants killed / all mutants; a mutant no selected test runs counts as survived) and
the surviving mutants; exit status 1 when a module is below the budget. Options:

    scripts/mutation.py [--modules pgo/a.py,pgo/b.py] [--tests "tests/unit tests/web/x.py"] [--budget 85]
                        [--keep DIR] [--show-survivors N]

Equivalent mutants (a change no behaviour can show) are listed with a reason in scripts/mutation-equivalent.txt;
they are left out of the score. Not part of `make test`: a full run takes long (see README).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent

# The modules of issue #23 (readability gate, thresholds and advice, interpretation of results, units, consent and
# access rules, the access log, import de-duplication and refusal, measurement validation, the export), each with the
# tests that speak about it. Each module runs on its own (mutmut then runs, per mutant, only the tests that reach the
# mutated function), so a slow, broad test set is paid once per module, not once per mutant.
MODULES: dict[str, list[str]] = {
    "pgo/literacy/readability.py": [
        "tests/unit/literacy/test_literacy_readability.py",
        "tests/unit/literacy/test_literacy_glossary.py",
        "tests/unit/test_limits.py",
    ],
    "pgo/measurements/thresholds.py": ["tests/unit/measurements", "tests/unit/test_limits.py"],
    "pgo/records/interpretation.py": [
        "tests/unit/records/test_interpretation_mutants.py",
        "tests/unit/records/test_records_interpretation.py",
        "tests/unit/records/test_limits_lab_flag.py",
    ],
    "pgo/records/observations.py": [
        "tests/unit/records/test_observations_mutants.py",
        "tests/unit/records/test_records_codes_of.py",
        "tests/unit/records/test_limits_lab_flag.py",
        "tests/unit/records/test_records_range_agreement.py",
    ],
    "pgo/measurements/units.py": ["tests/unit/measurements", "tests/unit/test_limits.py"],
    "pgo/accounts/consent.py": [
        "tests/unit/accounts/test_consent.py",
        "tests/unit/accounts/test_consent_mutants.py",
        "tests/unit/accounts/test_policy.py",
    ],
    "pgo/accounts/policy.py": ["tests/unit/accounts", "tests/web/test_access_table.py"],
    "pgo/web/access.py": [
        "tests/web/test_access_table.py",
        "tests/web/test_routes_access.py",
        "tests/web/test_patient_access.py",
        "tests/web/test_two_actors.py",
    ],
    "pgo/accounts/audit.py": [
        "tests/unit/accounts/test_access_log.py",
        "tests/unit/accounts/test_audit_keyed_chain.py",
        "tests/unit/accounts/test_audit_mutants.py",
        # 14 s for each mutant of the append path; it decides one mutant, an equivalent one (see the file)
        "--deselect=tests/unit/accounts/test_access_log.py::test_concurrent_writers_in_several_processes_keep_the_chain_linear",
    ],
    "pgo/records/importing.py": [
        f"tests/unit/records/{name}.py"
        for name in (
            "test_records_dedup",
            "test_two_patients_import",
            "test_records_refusals",
            "test_records_transactions",
            "test_records_import_keys",
            "test_records_json_limits",
            "test_records_revision",
            "test_records_references",
            "test_records_import_collector",
            "test_importing_mutants",
        )
    ],
    "pgo/measurements/validation.py": ["tests/unit/measurements", "tests/unit/test_limits.py"],
    "pgo/records/export.py": [
        "tests/unit/records/test_export_mutants.py",
        "tests/unit/records/test_records_export_cli.py",
    ],
}

# Equivalent mutants: a change no behaviour can show. One per line in scripts/mutation-equivalent.txt,
# "mutant name  # why no test can tell it from the original"; left out of the score. Mutant names carry a number
# that shifts when the function is edited, so a name that no longer exists is reported (and the file is mended).
EQUIVALENT_FILE = ROOT / "scripts" / "mutation-equivalent.txt"


def _equivalent() -> dict[str, str]:
    marked: dict[str, str] = {}
    for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines() if EQUIVALENT_FILE.exists() else []:
        name, _, reason = line.partition("#")
        if name.strip():
            if not reason.strip():
                raise SystemExit(f"{EQUIVALENT_FILE.name}: {name.strip()} has no reason after '#'")
            marked[name.strip()] = reason.strip()
    return marked


EQUIVALENT = _equivalent()

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


def _run_module(module: str, tests: list[str], folder: Path, children: int) -> tuple[Counter, list[str], float]:
    """Mutate one module in its own copy of the project; (statuses, surviving mutants, seconds)."""
    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    _copy_project(folder)
    (folder / "setup.cfg").write_text(_setup_cfg([module], tests))
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # the copy is not beside ../shared, where pgo.config looks for the fixtures by default (the demo seed needs them)
    env.setdefault("PGO_FIXTURES", str(ROOT.parent / "shared" / "fhir-fixtures"))
    run = subprocess.run(
        [str(VENV_BIN / "mutmut"), "run", "--max-children", str(children)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
        raise SystemExit(f"mutmut failed on {module} (exit status {run.returncode})")
    results = subprocess.run(
        [str(VENV_BIN / "mutmut"), "results", "--all", "true"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: Counter = Counter()
    survivors: list[str] = []
    dotted = module.removesuffix(".py").replace("/", ".") + "."
    present = {line.strip().split(":")[0] for line in results.splitlines() if STATUS.match(line)}
    for name in sorted(n for n in EQUIVALENT if n.startswith(dotted) and n not in present):
        print(f"  {EQUIVALENT_FILE.name}: {name} is no longer a mutant of {module}; mend the file")
    for line in results.splitlines():
        match = STATUS.match(line)
        if not match:
            continue
        name = line.strip().split(":")[0]
        if name in EQUIVALENT:
            counts["equivalent"] += 1
            continue
        status = match["status"].strip()
        counts[status] += 1
        if status != "killed":
            survivors.append(f"{name} ({status})")
    return counts, survivors, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", default=",".join(MODULES), help="comma-separated paths (default: all of MODULES)")
    parser.add_argument("--tests", default="", help="space-separated test paths (default: each module's own)")
    parser.add_argument("--budget", type=float, default=85.0)
    parser.add_argument("--keep", default="", help="run in this folder and keep it (default: a temporary one)")
    parser.add_argument("--show-survivors", type=int, default=40)
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    modules = [m for m in args.modules.split(",") if m]
    unknown = [m for m in modules if m not in MODULES and not args.tests]
    if unknown:
        parser.error(f"no tests known for {', '.join(unknown)}: give --tests or add it to MODULES")

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pgo-mutation-"))
    failed = False
    rows: list[str] = []
    all_survivors: dict[str, list[str]] = {}
    try:
        for module in modules:
            tests = args.tests.split() if args.tests else MODULES[module]
            folder = base / module.removesuffix(".py").replace("/", ".")
            counts, survivors, seconds = _run_module(module, tests, folder, args.children)
            scored = sum(n for status, n in counts.items() if status != "equivalent")
            killed = counts["killed"]
            score = 100.0 * killed / scored if scored else 100.0
            failed |= score < args.budget
            other = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s != "killed")
            rows.append(f"{module:40} {killed:>7} {scored:>5} {score:>6.1f}% {seconds:>6.0f}s  {other}")
            print(rows[-1], flush=True)
            all_survivors[module] = survivors
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print(f"\n{'module':40} {'killed':>7} {'all':>5} {'score':>7} {'time':>7}")
    print("\n".join(rows))
    for module, survivors in all_survivors.items():
        if survivors:
            print(f"\nsurviving in {module} (first {args.show_survivors}; `mutmut show NAME` in --keep DIR/<module>):")
            for name in survivors[: args.show_survivors]:
                print(f"  {name}")
    print(f"\nbudget: {args.budget:.0f}% killed in every module: {'NOT MET' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
