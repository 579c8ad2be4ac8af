"""Instructions of one import, for valgrind's callgrind: load-independent where `make bench` is not.

    valgrind --tool=callgrind --callgrind-out-file=OUT .venv/bin/python benchmarks/callgrind_import.py ndjson N

imports the benchmark's generated 10,000-resource file (``ndjson`` or ``bundle``) N times, each into a fresh SQLite
file, with the import listeners connected as `pgo bench` has them. Run it with N=0 and N=2: the difference of the
two "PROGRAM TOTALS" (callgrind_annotate OUT), halved, is one import. Instructions leave out what the kernel does
(file writes), so look at those with strace.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlmodel import Session

from pgo import db
from pgo.accounts.models import User
from pgo.bench.data import generate_record, write_bundle, write_ndjson
from pgo.measurements import units
from pgo.records.importing import import_paths


def main(kind: str, count: int) -> None:
    units.registry()  # built on first use: not part of an import
    folder = Path(tempfile.mkdtemp(prefix="pgo-callgrind-"))
    resources = generate_record(10_000)
    if kind == "ndjson":
        path = write_ndjson(resources, folder / "g.ndjson")
    else:
        path = write_bundle(resources, folder / "g.json")
    engines = []
    for n in range(max(count, 1)):  # the same set-up in every run: only the imports differ
        engine = db.make_engine(f"sqlite:///{folder / f'import-{n}.sqlite3'}")
        db.create_all(engine)
        with Session(engine) as session:
            session.add(User(email="bench@example.nl", role="patient"))
            session.commit()
        engines.append(engine)
    for engine in engines[:count]:
        with Session(engine) as session:
            report = import_paths(session=session, user_id=1, paths=[path])
            session.commit()
        if report.imported != 10_000:
            raise SystemExit(f"imported {report.imported} of 10,000: {report.as_dict()}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
