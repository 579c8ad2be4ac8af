"""The production server: gunicorn with threaded workers, each building its own app."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class PgoServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from pgo import create_app

        return create_app()


def run_gunicorn(*, host: str, port: int, workers: int, threads: int = 4) -> None:
    PgoServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "control_socket_disable": True,
            "accesslog": "-",
            "graceful_timeout": 10,
            "timeout": 60,
        }
    ).run()
