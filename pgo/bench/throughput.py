"""Throughput under the production server: wrk against `pgo serve` (gunicorn) on loopback."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def production_server(environment: dict[str, str], workers: int = 2) -> Iterator[str]:
    """`pgo serve` (gunicorn, threaded workers) on a free loopback port; stopped when the block ends."""
    port = free_port()
    command = [sys.executable, "-c", "from pgo.cli import main; main()", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/health", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pgo serve stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310  (loopback only)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"pgo serve did not answer {url} within {timeout:.0f} s")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def requests_per_second(url: str, *, cookie: str, seconds: int, connections: int = 8) -> float:
    """wrk's requests per second; every answer must be a success (a redirect to sign-in would be cheating).
    Sent as a browser sends it: with the session cookie and accepting gzip (so pages are compressed)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: pgo_session={cookie}"]
    command += ["-H", "Accept-Encoding: gzip", url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    errors = _NON_2XX.search(output)
    if errors:
        raise RuntimeError(f"wrk got {errors.group(1)} failed answers from {url}")
    match = _RATE.search(output)
    if not match:
        raise RuntimeError(f"wrk printed no rate: {output[-500:]}")
    return float(match.group(1))
