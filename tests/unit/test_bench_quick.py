"""Smoke test of the benchmark harness: `pgo bench --quick --json FILE` writes every figure of issue 8."""

from __future__ import annotations

import json
import numbers

import pytest
from click.testing import CliRunner

from pgo.bench.pages import percentile
from pgo.bench.weight import _linked
from pgo.cli import main

KEYS = (
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


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value >= 0


def test_quick_bench_writes_every_key_as_numbers_or_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("PGO_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    monkeypatch.setenv("PGO_INSTANCE_PATH", str(tmp_path / "instance"))
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(main, ["bench", "--quick", "--json", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    for key in KEYS:
        assert key in figures
        value = figures[key]
        if value is None or value == {}:
            assert figures["skipped"].get(key), f"{key} is empty without a reason"
        elif isinstance(value, dict):
            for name, inner in value.items():
                numbers_inside = inner.values() if isinstance(inner, dict) else [inner]
                assert all(_is_number(n) for n in numbers_inside), (key, name, inner)
        else:
            assert _is_number(value), (key, value)
    assert figures["import_resources_per_s"] > 0 and figures["import_ratio_to_json"] > 0
    assert "home" in figures["page_p95_ms"] and figures["first_visit_gzip_bytes"]["home"] > 1000
    assert set(figures["missing_pages"]).isdisjoint(figures["page_p95_ms"])
    partials = figures["partial_gzip_bytes"]
    assert {"explanation_level", "measurement_form", "measurement_form_errors", "measurement_saved"} <= set(partials)
    assert all(100 < size < 8_000 for size in partials.values()), partials
    overview = figures["details"]["pages"]["overview"]
    assert overview["served_p95_ms"] > 0 and overview["cpu_median_ms"] > 0
    assert "how it was measured" not in result.output  # it says how, not that it would
    assert "json.load" in result.output and "tracemalloc" in result.output and "warm-up" in result.output
    # issue #22: the clinic's pages at two clinic sizes, and the import against a plain write of its rows
    assert {"patient_list", "flagged_readings", "preparation", "patient_overview"} <= set(figures["clinic_page_p95_ms"])
    assert set(figures["clinic_growth"]) == set(figures["clinic_page_p95_ms"])
    assert figures["import_ratio_to_plain_write"] > 0 and "plain write" in result.output
    assert figures["details"]["clinic"]["sqlite"]["patients"] == [4, 12]
    recognised = figures["details"]["recognition"]
    assert recognised["records"] >= recognised["distinct"] > 10 and recognised["cached_per_s"] > 0
    assert recognised["import_with_ms"] > 0 and recognised["import_without_ms"] > 0


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([1.0, 2.0], 0.5) == 1.0


def test_first_visit_follows_assets_not_anchors():
    html = (
        '<link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script>'
        '<a href="/records">records</a><svg><use href="/static/icons.svg#home"></use></svg>'
        '<img src="https://example.org/x.png"><img src="data:image/png;base64,AAAA">'
    )
    assert _linked("/", html) == ["/static/app.css", "/static/app.js", "/static/icons.svg"]


def test_every_budget_gets_a_verdict_from_its_figures():
    from pgo.bench.run import Results, budget_lines

    figures = {
        "import_resources_per_s": 5071,
        "import_ratio_to_json": 11.31,
        "page_p95_ms": {"overview": 35.0, "results": 50.4},
        "overview_throughput_ratio": 0.49,
        "first_visit_gzip_bytes": {"results": 17_770},
        "partial_gzip_bytes": {"measurement_form": 791},
        "lighthouse": {"results": {"performance": 99, "accessibility": 100, "best-practices": 100}},
    }
    pages = {"overview": {"growth": 1.2}, "results": {"growth": 1.13}}
    figures |= {
        "import_ratio_to_plain_write": 3.0,
        "clinic_page_p95_ms": {"patient_list": 12.5, "flagged_readings": 50.0},
        "clinic_growth": {"patient_list": 1.99, "flagged_readings": 1.2},
    }
    details = {"pages": pages, "import_ratio_to_json_without_ndjson": 10.01}
    lines = {line.strip().split("  ")[0]: line for line in budget_lines(Results(figures=figures, details=details))}
    assert lines["import >= 5,000 resources/s (wall, slowest)"].endswith("met")
    assert lines["import <= 10x json.load (not NDJSON)"].endswith("MISSED")
    assert lines["import <= 3x plain executemany (worst file)"].endswith("met")
    assert lines["NDJSON peak memory flat (4x file, < 1.5x)"].endswith("not measured (no figure)")
    assert "flagged_readings 50.0 ms" in lines["clinic p95 < 50 ms at 1,000 patients"]
    assert lines["clinic p95 < 50 ms at 1,000 patients"].endswith("MISSED")
    assert lines["clinic growth < 2x (100 to 1,000 patients)"].endswith("met")
    assert "results 50.4 ms" in lines["page p95 < 50 ms, made (slowest page)"]
    assert lines["page p95 < 50 ms, made (slowest page)"].endswith("MISSED")
    assert lines["no page grows with the record (< 2x)"].endswith("met")
    pages["overview"]["growth"] = 9.5  # a page that follows the record's size
    figures["clinic_growth"]["patient_list"] = 2.0  # a clinic page that reads every patient's rows
    lines = budget_lines(Results(figures=figures, details=details))
    assert any("overview x9.5" in line and line.endswith("MISSED") for line in lines)
    assert any("patient_list x2.0" in line and line.endswith("MISSED") for line in lines)


def test_a_lighthouse_run_that_loses_its_trace_is_tried_once_more(tmp_path, monkeypatch):
    import subprocess
    from types import SimpleNamespace

    from pgo.bench import lighthouse

    report = tmp_path / "lh.json"
    answers = [(1, b"Runtime error encountered: ... (NO_NAVSTART)"), (0, b"")]
    calls = []

    def fake_run(command, **_kwargs):
        calls.append(command)
        code, stderr = answers[len(calls) - 1]
        if code == 0:
            scores = {name: {"score": 0.99} for name in lighthouse.CATEGORIES}
            report.write_text(json.dumps({"categories": scores}))
        return SimpleNamespace(returncode=code, stderr=stderr)

    monkeypatch.setattr(lighthouse, "lighthouse_cli", lambda install=True: tmp_path / "lighthouse")
    monkeypatch.setattr(subprocess, "run", fake_run)
    assert lighthouse.audit("http://127.0.0.1/x", cookie="c", report=report)["performance"] == 99
    assert len(calls) == 2
    answers[:] = [(1, b"first"), (1, b"Runtime error (NO_NAVSTART)")]
    calls.clear()
    with pytest.raises(RuntimeError, match="NO_NAVSTART"):
        lighthouse.audit("http://127.0.0.1/x", cookie="c", report=report)
