"""The whole benchmark run: every figure with a sentence on how it was measured, and the JSON of issue 8."""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgo.bench import imports, lighthouse, pages, partials, recognition, throughput, weight
from pgo.bench.clinic import ClinicSizes, run_clinic
from pgo.bench.data import generate_record, write_bundle, write_ndjson
from pgo.bench.scenario import PASSWORD, Scenario, build


@dataclass(frozen=True)
class Sizes:
    generated_resources: int
    record_resources: int
    measurements: int
    import_rounds: int
    page_requests: int
    wrk_seconds: int
    throughput: bool
    lighthouse: bool


FULL = Sizes(10_000, 10_000, 5_000, 3, 50, 5, True, True)
# Each wrk run's 8 keep-alive connections stay with the gunicorn worker that accepted them, and often one worker
# accepts all 8: that run then uses one core (vmstat: 45% idle) and gets a third of the rate, for /hello and the
# overview alike (ss during 8 runs of /hello: all 8 on one worker 3 times, 581-803 req/s; split, 2,062-2,368).
# Rounds are alternated and the median ratio taken; 5 rounds, not 3, so that two unlucky runs cannot decide it.
THROUGHPUT_ROUNDS = 5
QUICK = Sizes(300, 200, 100, 1, 5, 1, False, False)


@dataclass
class Results:
    """The JSON object (issue 8 keys) plus ``skipped`` (key -> reason), ``missing_pages`` and ``details``."""

    figures: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    missing_pages: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    say: Callable[[str], None] = print

    def as_json(self) -> dict[str, Any]:
        keys = (
            "import_resources_per_s",
            "import_ratio_to_json",
            "import_peak_mb",
            "page_p95_ms",
            "overview_throughput_ratio",
            "first_visit_gzip_bytes",
            "partial_gzip_bytes",
            "lighthouse",
            "clinic_page_p95_ms",
            "clinic_growth",
            "import_ratio_to_plain_write",
            "ndjson_peak_growth",
            "recognition_records_per_s",
        )
        out = {key: self.figures.get(key) for key in keys}
        out.update(skipped=self.skipped, missing_pages=self.missing_pages, details=self.details)
        return out


def run(
    sizes: Sizes,
    say: Callable[[str], None] = print,
    page_overrides: dict[str, str] | None = None,
    clinic_sizes: ClinicSizes | None = None,
    only_clinic: bool = False,
) -> Results:
    """Every figure; with ``clinic_sizes`` the clinic's too (``only_clinic``: just those)."""
    results = Results(say=say)
    with tempfile.TemporaryDirectory(prefix="pgo-bench-") as name:
        folder = Path(name)
        if clinic_sizes is not None:
            measure_clinic(clinic_sizes, folder, results)
        if only_clinic:
            return results
        measure_imports(sizes, folder, results)
        say(
            f"\n== Pages: building a record of {sizes.record_resources} resources and {sizes.measurements} measurements"
        )
        scenario = build(folder, resources=sizes.record_resources, measurements=sizes.measurements)
        app = scenario.app()
        try:
            found = measure_pages(sizes, scenario, app, results, page_overrides)
            measure_weight(scenario, app, found, results)
            measure_throughput(sizes, scenario, app, found, results, folder)
        finally:
            app.extensions["pgo_engine"].dispose()
    return results


def measure_clinic(sizes: ClinicSizes, folder: Path, results: Results) -> None:
    say = results.say
    postgres = os.environ.get("PGO_BENCH_DATABASE_URL") or None
    say(f"== Clinic (issue #22): one care team with {' and '.join(map(str, sizes.patients))} consenting patients")
    say(f"   server time in-process (Flask test client, signed in), {sizes.requests} requests after 3 warm-up, kept")
    say("   record pages off; growth = p95 at the largest clinic / p95 at the smallest")
    if postgres is None:
        results.skipped["clinic_postgresql"] = "PGO_BENCH_DATABASE_URL is not set (make bench starts a server)"
        say("   PostgreSQL: skipped (PGO_BENCH_DATABASE_URL is not set; `make bench` starts a throwaway server)")
    p95: dict[str, dict[str, float]] = {}
    growth: dict[str, dict[str, float]] = {}
    for figures in run_clinic(sizes, folder, say, postgres_url=postgres):
        largest = max(figures.p95_ms)
        p95[figures.database] = figures.p95_ms[largest]
        growth[figures.database] = figures.growth()
        results.details.setdefault("clinic", {})[figures.database] = {
            "patients": list(figures.p95_ms),
            "p95_ms": {str(k): v for k, v in figures.p95_ms.items()},
            "median_ms": {str(k): v for k, v in figures.median_ms.items()},
            "cpu_median_ms": {str(k): v for k, v in figures.cpu_ms.items()},
            "build_s": {str(k): v for k, v in figures.build_s.items()},
            "missing_pages": figures.missing,
            "query_plans": figures.plans,
        }
        say(
            f"   {figures.database}: query plans of the clinician's pages at {max(figures.p95_ms)} patients that scan"
            " a table or sort (all plans are in the JSON's details.clinic.*.query_plans):"
        )
        for page_name, plans in figures.plans.items():
            for statement, lines in plans:
                if any(_scans_or_sorts(line) for line in lines):
                    say(f"     {page_name}: {statement}")
                    for line in lines:
                        say(f"       {line}")
        for name, why in figures.missing.items():
            say(f"   {name:21} MISSING: {why}")
    # The keys of issue #22 name a page; with two databases the slower figure of the two counts.
    results.figures["clinic_page_p95_ms"] = {
        name: max(by_db[name] for by_db in p95.values() if name in by_db) for name in set().union(*p95.values())
    }
    results.figures["clinic_growth"] = {
        name: max(by_db[name] for by_db in growth.values() if name in by_db) for name in set().union(*growth.values())
    }
    results.details["clinic_by_database"] = {"p95_ms": p95, "growth": growth}
    worst = max(results.figures["clinic_page_p95_ms"].items(), key=lambda item: item[1], default=None)
    steepest = max(results.figures["clinic_growth"].items(), key=lambda item: item[1], default=None)
    say(f"   => slowest {worst}, steepest growth {steepest} (budgets: p95 < 50 ms, growth < 2x)")


def measure_recognition(sizes: Sizes, files: dict[str, Path], folder: Path, results: Results) -> None:
    """Issue #22 item 3: the catalogue's matcher on its own, and the import with and without it."""
    say = results.say
    bundle = next(path for name, path in files.items() if name.endswith("_bundle"))
    figure = recognition.measure(list(files.values()), bundle, folder, sizes.import_rounds)
    results.figures["recognition_records_per_s"] = round(figure.uncached_per_s)
    results.details["recognition"] = {
        "records": figure.records,
        "distinct": figure.distinct,
        "uncached_per_s": round(figure.uncached_per_s),
        "cached_per_s": round(figure.cached_per_s),
        "import_with_ms": round(figure.import_with_s * 1000, 1),
        "import_without_ms": round(figure.import_without_s * 1000, 1),
        "import_share": round(figure.import_share, 3),
    }
    say(
        f"   recognition: {figure.records:,} shown records of these files ({figure.distinct:,} distinct): "
        f"{figure.uncached_per_s:,.0f}/s matched from scratch, {figure.cached_per_s:,.0f}/s as the import calls it"
    )
    say(
        f"   (cached); the generated bundle's import {figure.import_with_s * 1000:.0f} ms with it, "
        f"{figure.import_without_s * 1000:.0f} ms without (medians of {sizes.import_rounds}, alternating): "
        f"{figure.import_share:.0%} of the import"
    )


def _scans_or_sorts(plan_line: str) -> bool:
    """A plan line that reads a whole table or sorts (SQLite's and PostgreSQL's words)."""
    line = plan_line.upper()
    return (
        ("SCAN " in line and "CONSTANT ROW" not in line and "INDEX" not in line)
        or "TEMP B-TREE" in line
        or ("SEQ SCAN" in line or line.lstrip().startswith("SORT"))
    )


def measure_imports(sizes: Sizes, folder: Path, results: Results) -> None:
    from pgo.config import fixtures_dir

    say = results.say
    say("== Import: pgo.records.importing.import_paths into a fresh SQLite file, commit included,")
    say("   against json.load of the same file in the same run; peak memory by tracemalloc in a separate run")
    say(f"   machine load (1, 5, 15 min) before: {_load()}")
    resources = generate_record(sizes.generated_resources)
    files = {
        f"generated_{sizes.generated_resources}_bundle": write_bundle(resources, folder / "generated.json"),
        f"generated_{sizes.generated_resources}_ndjson": write_ndjson(resources, folder / "generated.ndjson"),
    }
    synthea = sorted((fixtures_dir() / "synthea-r4").glob("Fletcher_Hyatt_*.json"))
    if synthea:
        files = {"synthea_fletcher_hyatt": synthea[0], **files}
    else:
        results.skipped["import_synthea"] = f"no Synthea bundle in {fixtures_dir() / 'synthea-r4'}"
    figures = []
    for name, path in files.items():
        figure = imports.measure_import(name, path, folder, sizes.import_rounds)
        figures.append(figure)
        say("   " + figure.describe())
        results.details.setdefault("import", {})[name] = {
            "resources": figure.resources,
            "resources_per_s": round(figure.per_second),
            "cpu_resources_per_s": round(figure.cpu_per_second),
            "ratio_to_json": round(figure.ratio, 2),
            "ratio_to_plain_write": round(figure.plain_ratio, 2),
            "plain_write_ms": round(figure.plain_s * 1000, 1),
            "rows_written": figure.rows_written,
            "peak_mb": round(figure.peak_mb, 1),
        }
    ndjson = [f for f in figures if f.name.endswith("_ndjson")]
    if ndjson:
        # issue #22: peak memory flat in the file's size for NDJSON: the same lines, a quarter as many
        quarter = write_ndjson(resources[: len(resources) // 4], folder / "quarter.ndjson")
        small_peak = imports.peak_mb(quarter, folder)
        growth = ndjson[0].peak_mb / small_peak
        results.details["ndjson_peak_mb"] = {"quarter": round(small_peak, 1), "whole": round(ndjson[0].peak_mb, 1)}
        results.figures["ndjson_peak_growth"] = round(growth, 2)
        say(
            f"   NDJSON peak memory: {small_peak:.1f} MB for a quarter of the lines, {ndjson[0].peak_mb:.1f} MB for "
            f"all: x{growth:.2f} for four times the file (budget: flat, < 1.5)"
        )
    measure_recognition(sizes, files, folder, results)
    results.details["machine_load"] = _load()
    results.figures["import_resources_per_s"] = round(min(f.per_second for f in figures))
    results.figures["import_ratio_to_json"] = round(max(f.ratio for f in figures), 2)
    # issue #22: json.loads of many small lines says more about the machine than about pgo: no budget for NDJSON
    budgeted = [f.ratio for f in figures if not f.name.endswith("_ndjson")]
    results.details["import_ratio_to_json_without_ndjson"] = round(max(budgeted), 2) if budgeted else None
    results.figures["import_peak_mb"] = round(max(f.peak_mb for f in figures), 1)
    results.figures["import_ratio_to_plain_write"] = round(max(f.plain_ratio for f in figures), 2)
    figures = results.figures
    say(
        f"   => slowest {figures['import_resources_per_s']:,} resources/s (budget >= 5,000), "
        f"worst {figures['import_ratio_to_json']}x json, {figures['import_ratio_to_plain_write']}x the plain write "
        f"(budget <= 3), peak {figures['import_peak_mb']} MB"
    )


def _client(app, email: str):
    client = app.test_client()
    pages.sign_in(client, email, PASSWORD)
    return client


def measure_pages(sizes: Sizes, scenario: Scenario, app, results: Results, overrides) -> pages.PageMap:
    say = results.say
    found = pages.find_pages(app, patient_id=scenario.large.user_id, overrides=overrides)
    small = pages.find_pages(app, patient_id=scenario.small.user_id, overrides=overrides)
    results.missing_pages.update(found.missing)
    say(f"   Server time in-process (Flask test client, signed in), {sizes.page_requests} requests after 3 warm-up;")
    say(f"   large record {scenario.large.resources} resources / {scenario.large.measurements} measurements, small")
    say(f"   record {scenario.small.resources} / {scenario.small.measurements} (growth = median large / median small).")
    say("   'made': every request builds the page from the database (kept record pages switched off: the first")
    say("   view after an import); 'served': as the app serves a repeated view (record pages kept per revision).")
    say("   page_p95_ms is the 'made' p95; cpu = median process CPU time per request.")
    clients = {"patient": _client(app, scenario.large.email), "clinician": _client(app, scenario.clinician_email)}
    small_patient = _client(app, scenario.small.email)
    p95, details = {}, {}
    for name, page in found.found.items():
        client = clients[page.spec.role]
        other = small.found[name].path if page.spec.role == "clinician" else page.path
        small_client = small_patient if page.spec.role == "patient" else clients["clinician"]
        app.config["PGO_FRAGMENT_CACHE"] = False
        try:
            made = pages.time_page(client, page.path, requests=sizes.page_requests)
            baseline = pages.time_page(small_client, other, requests=sizes.page_requests)
        finally:
            app.config["PGO_FRAGMENT_CACHE"] = True
        served = pages.time_page(client, page.path, requests=sizes.page_requests)
        growth = made.median_ms / baseline.median_ms
        p95[name] = round(made.p95_ms, 1)
        details[name] = {
            "path": page.path,
            "median_ms": round(made.median_ms, 1),
            "p95_ms": round(made.p95_ms, 1),
            "cpu_median_ms": round(made.cpu_median_ms, 1),
            "served_median_ms": round(served.median_ms, 1),
            "served_p95_ms": round(served.p95_ms, 1),
            "small_record_median_ms": round(baseline.median_ms, 1),
            "growth": round(growth, 2),
        }
        say(
            f"   {name:17} {page.path:38} made: median {made.median_ms:6.1f} p95 {made.p95_ms:6.1f} "
            f"cpu {made.cpu_median_ms:5.1f} ms | served: median {served.median_ms:5.1f} p95 {served.p95_ms:5.1f} ms"
            f" | small record {baseline.median_ms:.1f} ms, growth x{growth:.2f}"
        )
    for name, why in found.missing.items():
        say(f"   {name:17} MISSING: {why}")
    results.figures["page_p95_ms"] = p95
    results.details["pages"] = details
    return found


def measure_weight(scenario: Scenario, app, found: pages.PageMap, results: Results) -> None:
    say = results.say
    say("\n== Weight: each page with every same-origin file it loads (CSS, JS, SVG, icon), each gzip -6 on its own;")
    say("   partials: what the app answers htmx (HX-Request): the explanation's level switch and the measurement")
    say("   entry form (the form, the form with errors, the saved result)")
    clients = {"patient": _client(app, scenario.large.email), "clinician": _client(app, scenario.clinician_email)}
    first, partial_sizes, details = {}, {}, {}
    server_gzip = False
    for name, page in found.found.items():
        visit = weight.first_visit(clients[page.spec.role], page.path)
        server_gzip = server_gzip or visit.server_gzip
        first[name] = visit.gzip
        details[name] = {"raw": visit.raw, "gzip": visit.gzip, "files": visit.files}
        say(f"   {name:17} first visit {visit.raw:7,} B raw, {visit.gzip:6,} B gzip ({len(visit.files)} files)")
    for part in partials.measure(clients["patient"]):
        partial_sizes[part.name] = part.weight.gzip
        details[f"partial:{part.name}"] = {"raw": part.weight.raw, "gzip": part.weight.gzip, "status": part.status}
        say(f"   {part.name:23} htmx partial {part.weight.raw:6,} B raw, {part.weight.gzip:6,} B gzip")
    say(f"   the server itself {'sends' if server_gzip else 'does NOT send'} gzip (Content-Encoding) for pages")
    results.figures["first_visit_gzip_bytes"] = first
    results.figures["partial_gzip_bytes"] = partial_sizes
    results.details["weight"] = {"pages": details, "server_sends_gzip": server_gzip}


def measure_throughput(sizes: Sizes, scenario: Scenario, app, found, results: Results, folder: Path) -> None:
    say = results.say
    say("\n== Throughput: wrk (2 threads, 8 connections) against `pgo serve` (gunicorn gthread) on 127.0.0.1")
    reasons = {
        "overview_throughput_ratio": None if sizes.throughput else "quick mode: wrk is not run",
        "lighthouse": None if sizes.lighthouse else "quick mode: Lighthouse is not run",
    }
    if reasons["overview_throughput_ratio"] is None and not throughput.wrk_available():
        reasons["overview_throughput_ratio"] = "wrk is not installed (apt-get install wrk)"
    if reasons["overview_throughput_ratio"] is None and "overview" not in found.found:
        reasons["overview_throughput_ratio"] = "the overview page does not exist yet"
    if reasons["lighthouse"] is None:
        reasons["lighthouse"] = lighthouse.unavailable_reason()
    for key, why in reasons.items():
        if why:
            results.skipped[key] = why
            say(f"   {key}: skipped ({why})")
    if all(reasons.values()):
        return
    first = found.found["overview"].path if "overview" in found.found else "/"
    cookie = pages.session_cookie(_client(app, scenario.large.email), first_page=first)
    with throughput.production_server(scenario.server_environment()) as base:
        if reasons["overview_throughput_ratio"] is None:
            _throughput(sizes, base, found, cookie, results)
        if reasons["lighthouse"] is None:
            _lighthouse(base, found, scenario, app, results, folder)


def _throughput(sizes: Sizes, base: str, found, cookie: str, results: Results) -> None:
    say = results.say
    path = found.found["overview"].path
    for url in (base + "/hello", base + path):  # warm both routes in both workers (templates, kept pages)
        throughput.requests_per_second(url, cookie=cookie, seconds=1)
    rounds = []
    for _ in range(THROUGHPUT_ROUNDS):  # alternating, so that a busy moment of the machine hits both alike
        hello = throughput.requests_per_second(base + "/hello", cookie=cookie, seconds=sizes.wrk_seconds)
        overview = throughput.requests_per_second(base + path, cookie=cookie, seconds=sizes.wrk_seconds)
        rounds.append({"hello_rps": round(hello), "overview_rps": round(overview), "ratio": overview / hello})
        say(f"   /hello {hello:,.0f} req/s, overview {overview:,.0f} req/s: ratio {overview / hello:.2f}")
    ratio = statistics.median(r["ratio"] for r in rounds)
    results.figures["overview_throughput_ratio"] = round(ratio, 3)
    results.details["throughput"] = {"rounds": rounds, "seconds": sizes.wrk_seconds, "machine_load": _load()}
    say(f"   ({sizes.wrk_seconds} s each, {THROUGHPUT_ROUNDS} alternating rounds; one session cookie, as a browser")
    say("   holds it after its first page: with the session's CSRF secret)")
    say(f"   => median ratio {ratio:.2f} (budget >= 0.40)")


LIGHTHOUSE_RUNS = 3  # Lighthouse's variability guide: several runs, the median


def _lighthouse(base: str, found, scenario: Scenario, app, results: Results, folder: Path) -> None:
    say = results.say
    say("\n== Lighthouse 12 (npm) on Debian's Chromium, mobile profile, signed in (--extra-headers Cookie)")
    say(f"   median of {LIGHTHOUSE_RUNS} runs per page; bi = Lighthouse's benchmarkIndex (CPU speed, higher is faster)")
    cookies = {
        "patient": pages.session_cookie(_client(app, scenario.large.email), first_page="/"),
        "clinician": pages.session_cookie(_client(app, scenario.clinician_email), first_page="/"),
    }
    scores, runs = {}, {}
    for name, page in found.found.items():
        if name not in pages.MAIN_PAGES and name != "home":
            continue
        try:
            runs[name] = [
                _lighthouse_run(base + page.path, cookies[page.spec.role], folder / f"lh-{name}-{n}.json")
                for n in range(LIGHTHOUSE_RUNS)
            ]
        except Exception as error:  # noqa: BLE001  (one failed audit should not lose the other figures)
            results.details.setdefault("lighthouse_errors", {})[name] = str(error)[-500:]
            say(f"   {name:17} FAILED: {str(error)[-200:]}")
            continue
        scores[name] = {
            category: round(statistics.median(run["scores"][category] for run in runs[name]))
            for category in lighthouse.CATEGORIES
        }
        performance = ", ".join(str(run["scores"]["performance"]) for run in runs[name])
        indexes = ", ".join(f"{run['benchmark_index']:.0f}" for run in runs[name] if run["benchmark_index"])
        say(
            f"   {name:17} "
            + "  ".join(f"{k} {v}" for k, v in scores[name].items())
            + f"  (performance {performance}; bi {indexes})"
        )
    results.figures["lighthouse"] = scores
    results.details["lighthouse_runs"] = runs


def _lighthouse_run(url: str, cookie: str, report: Path) -> dict:
    scores = lighthouse.audit(url, cookie=cookie, report=report)
    return {"scores": scores, "benchmark_index": lighthouse.benchmark_index(report), "machine_load": _load()}


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


# The large record is ten times the small one: a page whose work follows the record would take about ten times
# as long; one that follows what it shows stays near 1 (more readings per week still fill a longer table).
GROWTH_LIMIT = 2


def budget_lines(results: Results) -> list[str]:
    """Each budget of issue 8 against the figure measured: met, missed or not measured (and why)."""
    figures, lines = results.figures, []

    def verdict(key: str, label: str, ok: bool | None, shown: str) -> None:
        if ok is None:
            lines.append(f"   {label:44} not measured ({results.skipped.get(key, 'no figure')})")
        else:
            lines.append(f"   {label:44} {shown:28} {'met' if ok else 'MISSED'}")

    rate = figures.get("import_resources_per_s")
    verdict("import_resources_per_s", "import >= 5,000 resources/s (wall, slowest)", rate and rate >= 5000, f"{rate}")
    ratio = results.details.get("import_ratio_to_json_without_ndjson")
    verdict("import_ratio_to_json", "import <= 10x json.load (not NDJSON)", ratio and ratio <= 10, f"{ratio}x")
    plain = figures.get("import_ratio_to_plain_write")
    verdict(
        "import_ratio_to_plain_write",
        "import <= 3x plain executemany (worst file)",
        plain and plain <= 3,
        f"{plain}x",
    )

    def largest(key: str, label: str, found: dict, limit: float, shown: str) -> None:
        """The verdict on the largest figure of a mapping (page -> figure): it must stay under ``limit``."""
        top = max(found.items(), key=lambda item: item[1], default=None)
        verdict(key, label, None if top is None else top[1] < limit, shown.format(*top) if top else "")

    made = figures.get("page_p95_ms") or {}
    largest("page_p95_ms", "page p95 < 50 ms, made (slowest page)", made, 50, "{} {} ms")
    growths = {name: page["growth"] for name, page in (results.details.get("pages") or {}).items()}
    largest("page_p95_ms", f"no page grows with the record (< {GROWTH_LIMIT}x)", growths, GROWTH_LIMIT, "{} x{}")
    tp = figures.get("overview_throughput_ratio")
    verdict("overview_throughput_ratio", "overview >= 40% of /hello (wrk)", None if tp is None else tp >= 0.4, f"{tp}")
    first = figures.get("first_visit_gzip_bytes") or {}
    largest("first_visit_gzip_bytes", "first visit < 60 KB gzip (largest page)", first, 60_000, "{} {:,} B")
    parts = figures.get("partial_gzip_bytes") or {}
    largest("partial_gzip_bytes", "htmx partials < 8 KB gzip (largest)", parts, 8_000, "{} {:,} B")
    flat = figures.get("ndjson_peak_growth")
    verdict("ndjson_peak_growth", "NDJSON peak memory flat (4x file, < 1.5x)", flat and flat < 1.5, f"x{flat}")
    clinic = figures.get("clinic_page_p95_ms") or {}
    largest("clinic_page_p95_ms", "clinic p95 < 50 ms at 1,000 patients", clinic, 50, "{} {} ms")
    grown = figures.get("clinic_growth") or {}
    label = f"clinic growth < {GROWTH_LIMIT}x (100 to 1,000 patients)"
    largest("clinic_growth", label, grown, GROWTH_LIMIT, "{} x{}")
    scores = figures.get("lighthouse") or {}
    if scores:
        perf = min(s["performance"] for s in scores.values())
        a11y = min(s["accessibility"] for s in scores.values())
        verdict("lighthouse", "Lighthouse performance >= 95 (lowest page)", perf >= 95, f"{perf}")
        verdict("lighthouse", "Lighthouse accessibility = 100 (lowest page)", a11y >= 100, f"{a11y}")
    else:
        verdict("lighthouse", "Lighthouse (mobile)", None, "")
    return lines
