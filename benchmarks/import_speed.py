"""Import speed of the 1,111-entry Synthea bundle, against a plain json.load of the same file.

PGO_FIXTURES=/work/shared/fhir-fixtures .venv/bin/python benchmarks/import_speed.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session  # noqa: E402

from pgo import db  # noqa: E402
from pgo.accounts.models import User  # noqa: E402
from pgo.config import fixtures_dir  # noqa: E402
from pgo.records.importing import import_paths  # noqa: E402


def main(rounds: int = 5) -> None:
    bundle = next((fixtures_dir() / "synthea-r4").glob("Fletcher_Hyatt_*.json"))
    loads = []
    for _ in range(rounds):
        start = time.perf_counter()
        with bundle.open("rb") as fh:
            count = len(json.load(fh)["entry"])
        loads.append(time.perf_counter() - start)
    imports = []
    for round_ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            engine = db.make_engine(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            db.create_all(engine)
            with Session(engine) as session:
                user = User(email=f"bench{round_}@example.nl")
                session.add(user)
                session.flush()
                start = time.perf_counter()
                report = import_paths(session=session, user_id=user.id, paths=[bundle])
                session.commit()
                imports.append(time.perf_counter() - start)
            engine.dispose()
        assert report.ok and report.imported == count, report
    load, imported = statistics.median(loads), statistics.median(imports)
    print(f"file: {bundle.name} ({bundle.stat().st_size / 1e6:.1f} MB, {count} resources)")
    print(f"json.load:  {load * 1000:.0f} ms (median of {rounds})")
    print(f"import:     {imported * 1000:.0f} ms (median of {rounds}, SQLite, incl. commit)")
    print(f"speed:      {count / imported:.0f} resources/s; import/json.load = {imported / load:.1f}x")


if __name__ == "__main__":
    main()
