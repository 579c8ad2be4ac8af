"""`pgo import` shows a progress bar on a terminal, and none when its output goes to a pipe or with --json (#17)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from pgo import db
from pgo.accounts.service import create_user

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "een-lang-wachtwoord"
BAR = "━"  # what rich draws a bar with


@pytest.fixture
def env(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    with db.session_scope(engine) as session:
        create_user(session=session, email="jo@example.nl", password=PASSWORD)
    engine.dispose()
    return {
        **os.environ,
        "PGO_DATABASE_URL": url,
        "PGO_SECRET_KEY": "test",
        "PGO_INSTANCE_PATH": str(tmp_path / "instance"),
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "100",
        "TERM": "xterm",
    }


@pytest.fixture
def bundle(tmp_path) -> Path:
    lines = [
        json.dumps({"resourceType": "Practitioner", "id": f"p{n}", "name": [{"family": f"Jansen{n}"}]})
        for n in range(3000)
    ]
    path = tmp_path / "people.ndjson"
    path.write_text("\n".join(lines) + "\n")
    return path


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from pgo.cli import main; sys.exit(main())", *args]


def _on_a_terminal(args: list[str], env: dict) -> str:
    """Run with its output on a pseudo-terminal; everything it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=follower, stderr=follower)
    os.close(follower)
    written = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        written += chunk
    process.wait(timeout=120)
    os.close(leader)
    assert process.returncode == 0, written.decode(errors="replace")[-2000:]
    return written.decode(errors="replace")


def test_a_terminal_shows_a_progress_bar(env, bundle):
    written = _on_a_terminal(_command("import", "--user", "jo@example.nl", str(bundle)), env)
    assert BAR in written
    assert "Geïmporteerd: 3000" in written or "Imported: 3000" in written


def test_json_on_a_terminal_shows_no_bar(env, bundle):
    written = _on_a_terminal(_command("import", "--user", "jo@example.nl", "--json", str(bundle)), env)
    assert BAR not in written
    assert json.loads(written.strip().splitlines()[-1])["imported"] == 3000


def test_a_pipe_gets_no_bar(env, bundle):
    piped = subprocess.run(
        _command("import", "--user", "jo@example.nl", str(bundle)),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert BAR not in piped.stdout + piped.stderr
    assert "\x1b[" not in piped.stdout  # no terminal control either
