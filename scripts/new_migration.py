"""Write a new Alembic migration from the difference between the models and the migrations so far.

Usage: .venv/bin/python scripts/new_migration.py 0002_measurements "add measurement tables"

The first argument is the revision id: the next free number and a short name.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

# The repository this script belongs to comes first, also when run from another worktree's venv.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic import command  # noqa: E402

from pgo import db  # noqa: E402


def main(rev_id: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'draft.sqlite3'}")
        db.migrate(engine)
        db.load_models()
        with engine.begin() as connection:
            config = db.alembic_config(engine)
            config.attributes["connection"] = connection
            command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], " ".join(sys.argv[2:]))
