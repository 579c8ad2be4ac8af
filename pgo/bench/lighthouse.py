"""Lighthouse (npm, version 12) against Debian's Chromium on loopback: mobile profile, three scores per page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from pgo.config import PROJECT_ROOT

CACHE = PROJECT_ROOT / ".bench"
CATEGORIES = ("performance", "accessibility", "best-practices")
# Lighthouse sometimes loses its own trace ("NO_NAVSTART ... Please run Lighthouse again"): one more try.
ATTEMPTS = 2
CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'


def chromium() -> str | None:
    return shutil.which("chromium") or (shutil.which("chromium-browser"))


def lighthouse_cli(install: bool = True) -> Path | None:
    """The lighthouse command in ``.bench/node_modules``, installed from the npm registry on first use."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    if not install or shutil.which("npm") is None:
        return None
    CACHE.mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "--silent", "lighthouse@12"],
        check=True,
        timeout=600,
    )
    return binary if binary.exists() else None


def unavailable_reason() -> str | None:
    if chromium() is None:
        return "Chromium is not installed (apt-get install chromium)"
    if lighthouse_cli(install=False) is None and shutil.which("npm") is None:
        return "npm is not installed, so Lighthouse cannot be installed"
    return None


def audit(url: str, *, cookie: str, report: Path) -> dict[str, float]:
    """The page's performance, accessibility and best-practices scores (0-100), signed in with ``cookie``."""
    binary = lighthouse_cli()
    if binary is None:
        raise RuntimeError("Lighthouse could not be installed")
    command = [
        str(binary),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--extra-headers=" + json.dumps({"Cookie": f"pgo_session={cookie}"}),
        "--quiet",
    ]
    env = {**_env(), "CHROME_PATH": chromium() or "/usr/bin/chromium"}
    for attempt in range(ATTEMPTS):
        done = subprocess.run(command, env=env, check=False, timeout=240, capture_output=True)
        if done.returncode == 0:
            break
        if attempt == ATTEMPTS - 1:
            raise RuntimeError(f"Lighthouse failed: {done.stderr.decode(errors='replace').strip()[-300:]}")
    categories = json.loads(report.read_text())["categories"]
    return {name: round((categories[name]["score"] or 0) * 100) for name in CATEGORIES}


def benchmark_index(report: Path) -> float | None:
    """Lighthouse's own measure of how fast this machine's CPU was during the audit (higher is faster). The
    simulated mobile throttling scales the tasks it observed, so a busy machine scores lower: this says how
    busy it was."""
    return json.loads(report.read_text()).get("environment", {}).get("benchmarkIndex")


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)
