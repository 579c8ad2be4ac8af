"""What the load and fault tests use: the real `pgo` processes (gunicorn, the import command) on loopback only,
and generated bundles. (A module of its own name: `from conftest import ...` would find another folder's
conftest when several test folders run together.)"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2020, 1, 1, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The servers' secret key; the access log's chain key is derived from it (#23), also for entries a test writes itself.
SECRET_KEY = "load-tests-secret-key-0123456789abcdef"


def pgo_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PGO_DATABASE_URL=database_url,
        PGO_SECRET_KEY=SECRET_KEY,
        PGO_SECURE_COOKIES="0",
        PGO_INSTANCE_PATH=str(tmp_path / "instance"),
        PGO_ARGON2_FAST="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def pgo_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from pgo.cli import main; sys.exit(main())", *args]


class Server:
    """`pgo serve` with gunicorn workers in its own process group, so that a test can kill all of it."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        # the server's messages go to a file: a pipe that nobody reads would fill up and block the workers
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(
            pgo_command("serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._log_file,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"pgo serve ended: {self.messages()}")
        self.stop()
        raise RuntimeError("pgo serve did not answer within 60 s")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no clean shutdown."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # a worker that outlived its master
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log_file.close()

    def messages(self) -> str:
        """The end of what the server wrote to its error log."""
        return self.log.read_text(errors="replace")[-3000:]


HEART_RATE = ("vital-signs", "8867-4", "Heart rate", "/min")
CREATININE = ("laboratory", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL")


def _observation(index: int, kind: tuple[str, str, str, str]) -> dict:
    category, code, display, unit = kind
    return {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": category}]}
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]},
        "effectiveDateTime": (START + timedelta(minutes=7 * index)).strftime("%Y-%m-%dT%H:%M:00Z"),
        "valueQuantity": {"value": 50 + index % 50, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }


def write_bundle(path: Path, count: int, vital_every: int = 10) -> Path:
    """A FHIR R4 collection bundle of ``count`` observations (one generated file): every ``vital_every``-th a
    heart rate (a vital sign: it becomes an imported measurement too, in the same transaction), the others
    laboratory results."""
    entries = [
        {
            "fullUrl": f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
            "resource": _observation(index, HEART_RATE if index % vital_every == 0 else CREATININE),
        }
        for index in range(count)
    ]
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}))
    return path
