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

    @property
    def per_second(self) -> float:
        return self.resources / self.import_s

    @property
    def cpu_per_second(self) -> float:
        return self.resources / self.cpu_s

    @property
    def ratio(self) -> float:
        return self.import_s / self.json_s

    def describe(self) -> str:
        return (
            f"{self.name}: {self.resources} resources ({self.megabytes:.1f} MB): import {self.import_s * 1000:.0f} ms, "
            f"json.load {self.json_s * 1000:.0f} ms (medians of {self.rounds}) -> {self.per_second:,.0f} resources/s "
            f"(CPU {self.cpu_s * 1000:.0f} ms: {self.cpu_per_second:,.0f}/s), "
            f"{self.ratio:.1f}x json; peak {self.peak_mb:.1f} MB (tracemalloc, separate run)"
        )


def _json_read(path: Path) -> int:
    with path.open("rb") as fh:
        if path.suffix == ".ndjson":
            return sum(1 for line in fh if line.strip() and json.loads(line))
        document = json.load(fh)
    return len(document.get("entry", [])) or 1


def _import_once(path: Path, folder: Path, round_: int) -> tuple[float, float, int]:
    from pgo.accounts.models import User
    from pgo.records.importing import import_paths

    engine = db.make_engine(f"sqlite:///{folder / f'import-{path.name}-{round_}.sqlite3'}")
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


def _peak_mb(path: Path, folder: Path) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        _import_once(path, folder, 999)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def measure_import(name: str, path: Path, folder: Path, rounds: int) -> ImportFigure:
    loads, imports, cpus, count = [], [], [], 0
    for round_ in range(rounds):
        start = time.perf_counter()
        _json_read(path)
        loads.append(time.perf_counter() - start)
        elapsed, cpu, count = _import_once(path, folder, round_)
        imports.append(elapsed)
        cpus.append(cpu)
    return ImportFigure(
        name=name,
        resources=count,
        megabytes=path.stat().st_size / 1e6,
        json_s=statistics.median(loads),
        import_s=statistics.median(imports),
        cpu_s=statistics.median(cpus),
        peak_mb=_peak_mb(path, folder),
        rounds=rounds,
    )
