"""A real app (or the sandbox) served on a loopback port in a thread, for the browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from pgo import create_app, db
from pgo.demo import seed_demo


@contextmanager
def serving(app) -> Iterator[str]:
    """``app`` on 127.0.0.1 and a free port for the duration of the block; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def demo_app(folder: Path, secret: str):
    """pgo on a fresh migrated SQLite file in ``folder``, seeded with the demonstration data."""
    app = create_app(
        {
            "PGO_DATABASE_URL": f"sqlite:///{folder / 'pgo.sqlite3'}",
            "SECRET_KEY": secret,
            "PGO_INSTANCE_PATH": str(folder / "instance"),
            "SESSION_COOKIE_SECURE": False,
        }
    )
    engine = app.extensions["pgo_engine"]
    db.migrate(engine)
    with db.session_scope(engine) as session:
        seed_demo(session=session)
    return app
