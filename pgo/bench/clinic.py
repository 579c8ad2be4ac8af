"""`pgo bench --clinic` (issue #22): a care team with a thousand consenting patients, and the pages that read
across all of them.

Each patient has a generated record (deterministic: the seed is the patient's number) and home measurements, a
share of them flagged; every patient gave the team consent for everything and was offered a decision aid. The
same clinic is built with 100 and with 1,000 patients, on SQLite and, when a PostgreSQL server is given, on
PostgreSQL; the server time of each page is measured in-process (the Flask test client, signed in), and the
growth from 100 to 1,000 patients is the ratio of the p95s.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, text

from pgo import db
from pgo.bench import pages
from pgo.bench.data import generate_record, measurement_rows
from pgo.bench.scenario import PASSWORD

CLINICIAN = "clinician@clinic.bench.pgo"
FLAG_EVERY = 20  # one home measurement in twenty is flagged (outside the team's limit)
AID = "high-blood-pressure"


@dataclass(frozen=True)
class ClinicSizes:
    patients: tuple[int, ...] = (100, 1000)
    resources: int = 300
    measurements: int = 100
    requests: int = 30


QUICK = ClinicSizes(patients=(4, 12), resources=30, measurements=10, requests=3)

# Clinic-wide pages, and the pages of one patient of the clinic (found by name in the URL map, as in pages.py).
CLINIC_PAGES = (
    pages.PageSpec("patient_list", "clinician", ("clinic.home", "/clinic/")),
    pages.PageSpec(
        "flagged_readings",
        "clinician",
        ("clinic_measurements.flagged", "measurements.clinic_flagged", "/clinic/measurements"),
    ),
    pages.PageSpec("preparation", "clinician", ("clinic.preparation", "/clinic/patients/<patient_id>/preparation")),
    pages.PageSpec(
        "catalogue_gaps", "clinician", ("literacy.gaps", "literacy.catalogue_gaps", "/clinic/catalogue/gaps")
    ),
    pages.PageSpec("patient_overview", "patient", ("records.overview", "/records")),
    pages.PageSpec("patient_results", "patient", ("records.results", "/records/results")),
    pages.PageSpec("patient_medication", "patient", ("records.medication", "/records/medication")),
    pages.PageSpec("patient_measurements", "patient", ("measurements.overview", "/measurements")),
)


@dataclass
class Clinic:
    url: str
    patients: int
    patient_email: str  # the patient whose own pages are measured
    patient_id: int
    seconds_to_build: float


@dataclass
class ClinicFigures:
    database: str
    p95_ms: dict[int, dict[str, float]] = field(default_factory=dict)  # patients -> page -> p95
    median_ms: dict[int, dict[str, float]] = field(default_factory=dict)
    cpu_ms: dict[int, dict[str, float]] = field(default_factory=dict)  # median process CPU time per request
    missing: dict[str, str] = field(default_factory=dict)
    build_s: dict[int, float] = field(default_factory=dict)
    plans: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)

    def growth(self) -> dict[str, float]:
        small, large = min(self.p95_ms), max(self.p95_ms)
        return {
            name: round(self.p95_ms[large][name] / self.p95_ms[small][name], 2)
            for name in self.p95_ms[large]
            if self.p95_ms[small].get(name)
        }


def _database_url(folder: Path, base_url: str | None, name: str) -> str:
    """A fresh database: a SQLite file in ``folder``, or a new database on the PostgreSQL server of ``base_url``."""
    if base_url is None:
        return f"sqlite:///{folder / f'{name}.sqlite3'}"
    admin = db.make_engine(base_url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base_url.rsplit("/", 1)[0] + f"/{name}"


def build_clinic(url: str, sizes: ClinicSizes, patients: int) -> Clinic:
    """Migrate the database at ``url`` and fill it with one team, one clinician and ``patients`` patients."""
    from pgo.accounts import consent, teams
    from pgo.accounts.models import Role, User
    from pgo.accounts.service import create_user
    from pgo.clock import utcnow
    from pgo.decisions.offers import offer_aid
    from pgo.measurements.models import Measurement
    from pgo.records.importing import import_resources

    start = time.perf_counter()
    engine = db.make_engine(url)
    db.migrate(engine)
    now = utcnow()
    try:
        with db.session_scope(engine) as session:
            clinician = create_user(
                session=session, email=CLINICIAN, password=PASSWORD, role="clinician", name="Bench Clinic"
            )
            first = create_user(
                session=session, email="patient0@clinic.bench.pgo", password=PASSWORD, role="patient", name="P 0000"
            )
            team = teams.create_team(session=session, name="Bench clinic")
            teams.add_clinician(session=session, team_id=team.id, clinician_id=clinician.id)
            users = [first]
            for n in range(1, patients):
                # the same password hash: only one patient signs in, and argon2 would make the build take minutes
                user = User(
                    email=f"patient{n}@clinic.bench.pgo",
                    name=f"P {n:04d}",
                    role=Role.PATIENT,
                    password_hash=first.password_hash,
                )
                session.add(user)
                users.append(user)
            session.flush()
            for n, user in enumerate(users):
                report = import_resources(
                    session=session,
                    user_id=user.id,
                    resources=generate_record(sizes.resources, seed=n),
                    source=f"bench-clinic-{n}.json",
                )
                if not report.ok:
                    raise RuntimeError(f"clinic benchmark record refused: {report.refused}")
                rows = list(measurement_rows(user.id, sizes.measurements, now, seed=n))
                for index, row in enumerate(rows):
                    if index % FLAG_EVERY == FLAG_EVERY - 1:
                        row.update(flagged=True, severity="contact_practice")
                session.execute(insert(Measurement.__table__), rows)
                consent.grant(session=session, patient_id=user.id, team_id=team.id, category="all", actor_id=user.id)
                offer_aid(
                    session=session,
                    clinician_id=clinician.id,
                    patient_id=user.id,
                    aid_id=AID,
                    consultation_date=date.today() + timedelta(days=14),
                )
                if n % 100 == 99:
                    session.commit()
            patient_id = first.id
    finally:
        engine.dispose()
    return Clinic(url, patients, "patient0@clinic.bench.pgo", patient_id, time.perf_counter() - start)


def _app(url: str, instance: Path):
    from pgo import create_app

    return create_app(
        {
            "PGO_DATABASE_URL": url,
            "SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "PGO_INSTANCE_PATH": str(instance),
            "SESSION_COOKIE_SECURE": False,
        }
    )


def find_clinic_pages(app, patient_id: int) -> pages.PageMap:
    return pages.find_pages(app, patient_id=patient_id, specs=CLINIC_PAGES)


def query_plans(app, client, path: str) -> list[tuple[str, list[str]]]:
    """The plan of every SELECT one request of ``path`` runs: (statement, plan lines), by the database's own
    EXPLAIN (SQLite: EXPLAIN QUERY PLAN). A line with a full scan of a table says which index is missing."""
    engine = app.extensions["pgo_engine"]
    seen: list[tuple[str, Any]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    plans = []
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in _unique(seen):
            cursor = raw.cursor()
            try:
                cursor.execute(prefix + statement, parameters)
                lines = [" ".join(str(part) for part in row[-1:]) for row in cursor.fetchall()]
            finally:
                cursor.close()
            plans.append((" ".join(statement.split())[:160], lines))
    return plans


def _unique(seen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    found: dict[str, Any] = {}
    for statement, parameters in seen:
        found.setdefault(statement, parameters)
    return list(found.items())


@dataclass
class ClinicRun:
    timings: dict[str, pages.Timing]
    missing: dict[str, str]
    plans: dict[str, list[tuple[str, list[str]]]]  # clinician page -> (statement, plan lines)


def measure_clinic(clinic: Clinic, folder: Path, requests: int, say: Callable[[str], None]) -> ClinicRun:
    app = _app(clinic.url, folder)
    try:
        app.config["PGO_FRAGMENT_CACHE"] = False  # every request builds its page, as the first view does
        found = find_clinic_pages(app, clinic.patient_id)
        clients = {}
        for role, email in (("clinician", CLINICIAN), ("patient", clinic.patient_email)):
            clients[role] = app.test_client()
            pages.sign_in(clients[role], email, PASSWORD)
        run = ClinicRun({}, found.missing, {})
        for name, page in found.found.items():
            t = run.timings[name] = pages.time_page(clients[page.spec.role], page.path, requests=requests)
            say(
                f"   {clinic.patients:5} patients  {name:21} {page.path:34} "
                f"median {t.median_ms:6.1f} p95 {t.p95_ms:6.1f} cpu {t.cpu_median_ms:5.1f} ms"
            )
            if page.spec.role == "clinician":
                run.plans[name] = query_plans(app, clients["clinician"], page.path)
        return run
    finally:
        app.extensions["pgo_engine"].dispose()


def run_clinic(
    sizes: ClinicSizes, folder: Path, say: Callable[[str], None], postgres_url: str | None = None
) -> list[ClinicFigures]:
    """The clinic on SQLite, and on PostgreSQL when ``postgres_url`` (a server's maintenance database) is given."""
    databases = [("sqlite", None)] + ([("postgresql", postgres_url)] if postgres_url else [])
    results = []
    for kind, base in databases:
        figures = ClinicFigures(database=kind)
        for count in sizes.patients:
            url = _database_url(folder, base, f"pgo_bench_clinic_{count}")
            say(f"   {kind}: building a clinic of {count} patients ({sizes.resources} resources and")
            say(f"   {sizes.measurements} measurements each, one in {FLAG_EVERY} flagged)")
            clinic = build_clinic(url, sizes, count)
            figures.build_s[count] = round(clinic.seconds_to_build, 1)
            say(f"   built in {clinic.seconds_to_build:.0f} s")
            run = measure_clinic(clinic, folder, sizes.requests, say)
            figures.p95_ms[count] = {name: round(t.p95_ms, 1) for name, t in run.timings.items()}
            figures.median_ms[count] = {name: round(t.median_ms, 1) for name, t in run.timings.items()}
            figures.cpu_ms[count] = {name: round(t.cpu_median_ms, 1) for name, t in run.timings.items()}
            figures.missing.update(run.missing)
            figures.plans = run.plans  # the largest clinic's, which is built last
        results.append(figures)
    return results
