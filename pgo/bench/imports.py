"""Import speed: resources per second into a fresh SQLite database, against reading the same file with `json`."""

from __future__ import annotations

import gc
import json
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from pgo import db


@dataclass
class ImportFigure:
    name: str
    resources: int
    megabytes: float
    json_s: float  # median time of json.load of the file
    import_s: float  # median time of the import, commit included
    cpu_s: float  # median CPU time (time.process_time) of the same imports: less noisy on a shared machine
    peak_mb: float  # tracemalloc peak of one import (a separate, untimed run)
    rounds: int
    plain_s: float = 0.0  # median time of writing the same rows with plain executemany (no reading, no normalising)
    rows_written: int = 0  # rows the import wrote, in every table: what the plain write writes too

    @property
    def per_second(self) -> float:
        return self.resources / self.import_s

    @property
    def cpu_per_second(self) -> float:
        return self.resources / self.cpu_s

    @property
    def ratio(self) -> float:
        return self.import_s / self.json_s

    @property
    def plain_ratio(self) -> float:
        return self.import_s / self.plain_s if self.plain_s else float("nan")

    def describe(self) -> str:
        return (
            f"{self.name}: {self.resources} resources ({self.megabytes:.1f} MB): import {self.import_s * 1000:.0f} ms, "
            f"json.load {self.json_s * 1000:.0f} ms (medians of {self.rounds}) -> {self.per_second:,.0f} resources/s "
            f"(CPU {self.cpu_s * 1000:.0f} ms: {self.cpu_per_second:,.0f}/s), "
            f"{self.ratio:.1f}x json; plain write of its {self.rows_written:,} rows {self.plain_s * 1000:.0f} ms -> "
            f"{self.plain_ratio:.1f}x plain write; peak {self.peak_mb:.1f} MB (tracemalloc, separate run)"
        )


def _json_read(path: Path) -> int:
    with path.open("rb") as fh:
        if path.suffix == ".ndjson":
            return sum(1 for line in fh if line.strip() and json.loads(line))
        document = json.load(fh)
    return len(document.get("entry", [])) or 1


def import_once(path: Path, folder: Path, round_: int) -> tuple[float, float, int]:
    from pgo.accounts.models import User
    from pgo.records.importing import import_paths

    engine = db.make_engine(f"sqlite:///{_database(folder, path, round_)}")
    db.create_all(engine)
    try:
        with Session(engine) as session:
            user = User(email=f"bench{round_}@example.nl", role="patient")
            session.add(user)
            session.commit()
            gc.collect()
            user_id = user.id
            start, cpu = time.perf_counter(), time.process_time()
            report = import_paths(session=session, user_id=user_id, paths=[path])
            session.commit()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        engine.dispose()
    if not report.ok:
        raise RuntimeError(f"benchmark import of {path.name} refused: {report.refused}")
    return elapsed, cpu, report.imported + report.duplicates


def _database(folder: Path, path: Path, round_: int) -> Path:
    return folder / f"import-{path.name}-{round_}.sqlite3"


def _written_rows(database: Path) -> dict[str, list[dict]]:
    """Every row the import wrote, by table (the patient's own account row left out: the plain write has it
    already, as the import had)."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    engine = db.make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return {
                table.name: [dict(row._mapping) for row in conn.execute(select(table))]
                for table in SQLModel.metadata.sorted_tables
                if table.name != "user_account"
            }
    finally:
        engine.dispose()


def _plain_write_once(written: dict[str, list[dict]], folder: Path, name: str, round_: int) -> float:
    """The same rows into the same tables of a fresh database with plain ``executemany``, commit included: what
    an import that did no reading, parsing, normalising or de-duplicating would take (issue #22's baseline)."""
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    from pgo.accounts.models import User

    engine = db.make_engine(f"sqlite:///{folder / f'plain-{name}-{round_}.sqlite3'}")
    db.create_all(engine)
    try:
        with Session(engine) as session:
            session.add(User(email=f"bench{round_}@example.nl", role="patient"))
            session.commit()
        gc.collect()
        start = time.perf_counter()
        with engine.begin() as conn:
            for table in SQLModel.metadata.sorted_tables:
                rows = written.get(table.name)
                if rows:
                    conn.execute(insert(table), rows)
        return time.perf_counter() - start
    finally:
        engine.dispose()


def peak_mb(path: Path, folder: Path) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        import_once(path, folder, 999)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def measure_import(name: str, path: Path, folder: Path, rounds: int) -> ImportFigure:
    loads, imports, cpus, count = [], [], [], 0
    for round_ in range(rounds):
        start = time.perf_counter()
        _json_read(path)
        loads.append(time.perf_counter() - start)
        elapsed, cpu, count = import_once(path, folder, round_)
        imports.append(elapsed)
        cpus.append(cpu)
    written = _written_rows(_database(folder, path, 0))
    plain = [_plain_write_once(written, folder, path.name, round_) for round_ in range(rounds)]
    return ImportFigure(
        name=name,
        resources=count,
        megabytes=path.stat().st_size / 1e6,
        json_s=statistics.median(loads),
        import_s=statistics.median(imports),
        cpu_s=statistics.median(cpus),
        peak_mb=peak_mb(path, folder),
        rounds=rounds,
        plain_s=statistics.median(plain),
        rows_written=sum(len(rows) for rows in written.values()),
    )
