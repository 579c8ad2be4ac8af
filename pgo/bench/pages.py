"""Which pages exist, and a signed-in test client to time them and weigh what they load.

The pages are found in the app's URL map by a list of candidate endpoints and paths per page, so the harness
measures whichever pages exist when it runs and names the ones that are missing.
"""

from __future__ import annotations

import math
import re
import statistics
import time
from dataclasses import dataclass, field

from flask import Flask, url_for
from werkzeug.routing import IntegerConverter, Rule

_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@dataclass(frozen=True)
class PageSpec:
    """A page by name: who opens it and where it may live (endpoints like ``records.overview`` or paths)."""

    name: str
    role: str  # "patient" or "clinician"
    candidates: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # else: a GET route under the first path candidate whose path has one of these


PAGES = (
    PageSpec("home", "patient", ("web.home", "/")),
    PageSpec("overview", "patient", ("records.overview", "records.index", "records.home", "/records", "/records/")),
    PageSpec("results", "patient", ("records.results", "/records/results")),
    PageSpec("medication", "patient", ("records.medication", "/records/medication", "/records/medicines")),
    PageSpec("measurements", "patient", ("measurements.overview", "measurements.index", "/measurements")),
    PageSpec(
        "measurement_type",
        "patient",
        ("measurements.history", "measurements.type_page", "measurements.measurement_type", "/measurements/<type>"),
        keywords=("history", "type"),
    ),
    PageSpec(
        "preparation",
        "clinician",
        ("clinic.preparation", "clinic.prepare", "/clinic/patients/<patient_id>/preparation", "/clinic/"),
        keywords=("prepar", "consult"),
    ),
)
# Pages whose time and weight the budgets name (home is measured too, as the app's plain baseline).
MAIN_PAGES = ("overview", "results", "medication", "measurements", "measurement_type", "preparation")


@dataclass
class FoundPage:
    spec: PageSpec
    path: str


@dataclass
class PageMap:
    found: dict[str, FoundPage] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # name -> why


def _plain(rule: str) -> str:
    return _ARGUMENT.sub(r"<\1>", rule)


def _get_rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if "GET" in (r.methods or ()) and r.endpoint != "static"]


def _rule_for(spec: PageSpec, rules: list[Rule]) -> Rule | None:
    for candidate in spec.candidates:
        for rule in rules:
            if candidate == rule.endpoint or (candidate.startswith("/") and _plain(rule.rule) == candidate):
                return rule
    prefixes = [c for c in spec.candidates if c.startswith("/")]
    for rule in rules:
        under = any(rule.rule.startswith(p.split("<")[0]) for p in prefixes)
        if under and spec.keywords and any(k in (rule.rule + rule.endpoint).lower() for k in spec.keywords):
            return rule
    return None


def _arguments(rule: Rule, patient_id: int, measurement_type: str) -> dict:
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)  # noqa: SLF001  (werkzeug keeps converters per rule here)
        values[name] = patient_id if isinstance(converter, IntegerConverter) else measurement_type
    return values


def find_pages(
    app: Flask,
    *,
    patient_id: int,
    measurement_type: str = "blood_pressure",
    overrides: dict[str, str] | None = None,
    specs: tuple[PageSpec, ...] = PAGES,
) -> PageMap:
    """Each page's path for this patient, or why it is missing. ``overrides`` maps page names to fixed paths."""
    result = PageMap()
    rules = _get_rules(app)
    for spec in specs:
        if overrides and spec.name in overrides:
            result.found[spec.name] = FoundPage(spec, overrides[spec.name])
            continue
        rule = _rule_for(spec, rules)
        if rule is None:
            result.missing[spec.name] = "no route among " + ", ".join(spec.candidates)
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, **_arguments(rule, patient_id, measurement_type))
        result.found[spec.name] = FoundPage(spec, path)
    return result


def sign_in(client, email: str, password: str) -> None:
    """Sign the test client in through the sign-in form (CSRF token included)."""
    html = client.get("/sign-in").get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    data = {"email": email, "password": password, "csrf_token": match.group(1) if match else ""}
    response = client.post("/sign-in", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"benchmark sign-in as {email} failed ({response.status_code})")


def session_cookie(client, name: str = "pgo_session", first_page: str | None = None) -> str:
    """The client's session cookie; with ``first_page``, as a browser holds it after that page: the first page
    with a form stores the session's CSRF secret in the cookie. A tool that sends one fixed cookie (wrk,
    Lighthouse's extra headers) and has only the sign-in's would have every page make a new secret and send a new
    cookie, which no browser does after its first page."""
    if first_page is not None:
        client.get(first_page)
    cookie = client.get_cookie(name)
    if cookie is None:
        raise RuntimeError("no session cookie after signing in")
    return cookie.value


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    requests: int
    cpu_median_ms: float = 0.0  # time.process_time of the process per request: steadier on a shared machine


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def time_page(client, path: str, *, requests: int, warm_up: int = 3) -> Timing:
    """Server time in-process: the test client's full request cycle (routing, views, templates, session)."""
    for _ in range(warm_up):
        _get_ok(client, path)
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        _get_ok(client, path)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return Timing(statistics.median(times), percentile(times, 0.95), requests, statistics.median(cpu))


def _get_ok(client, path: str, headers: dict | None = None):
    response = client.get(path, headers=headers or {})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return response
