"""Settings from the environment, with safe defaults.

Every setting is read once when the app is created. Tests pass a mapping to ``create_app`` instead.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_instance_path() -> Path:
    return Path(os.environ.get("PGO_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def _secret_key(instance: Path) -> str:
    """PGO_SECRET_KEY, or a key generated once and kept in the instance folder."""
    key = os.environ.get("PGO_SECRET_KEY")
    if key:
        return key
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def from_environment(overrides: dict | None = None) -> dict:
    """Flask config keys built from the PGO_* environment variables; ``overrides`` win (tests pass them)."""
    overrides = dict(overrides or {})
    instance = Path(overrides.get("PGO_INSTANCE_PATH") or default_instance_path())
    url = os.environ.get("PGO_DATABASE_URL") or f"sqlite:///{instance / 'pgo.sqlite3'}"
    settings = {
        "PGO_DATABASE_URL": url,
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance),
        "PGO_PORT": int(os.environ.get("PGO_PORT", "5000")),
        "PGO_INSTANCE_PATH": str(instance),
        "PGO_SESSION_IDLE_MINUTES": int(os.environ.get("PGO_SESSION_IDLE_MINUTES", "30")),
        # Secure cookies need HTTPS; on by default unless the app is served on loopback by `make run`.
        "SESSION_COOKIE_SECURE": os.environ.get("PGO_SECURE_COOKIES", "1") == "1",
        "PGO_OIDC_ISSUER": os.environ.get("PGO_OIDC_ISSUER", ""),
        "PGO_OIDC_CLIENT_ID": os.environ.get("PGO_OIDC_CLIENT_ID", ""),
        "PGO_OIDC_CLIENT_SECRET": os.environ.get("PGO_OIDC_CLIENT_SECRET", ""),
        "PGO_PROVIDERS_FILE": os.environ.get("PGO_PROVIDERS_FILE", ""),
        # Create or upgrade the schema when the app starts (the CLI and `pgo serve` migrate before serving).
        "PGO_MIGRATE_ON_START": os.environ.get("PGO_MIGRATE_ON_START", "0") == "1",
        "PGO_WORKERS": int(os.environ.get("PGO_WORKERS", "2")),
        # Uploads of this many bytes and more are imported in the background, with a progress page (#17).
        "PGO_IMPORT_BACKGROUND_BYTES": int(os.environ.get("PGO_IMPORT_BACKGROUND_BYTES", "1000000")),
    }
    settings.update(overrides)
    return settings


def fixtures_dir() -> Path:
    """The shared FHIR fixtures (beside the repository in development and CI), used by the demo and tests."""
    return Path(os.environ.get("PGO_FIXTURES", PROJECT_ROOT.parent / "shared" / "fhir-fixtures")).resolve()
