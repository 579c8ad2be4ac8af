"""The production server: gunicorn with threaded workers, each building its own app."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from pgo.summary.sharing import without_link_keys


class AccessLogger(Logger):
    """gunicorn's access log without the keys of share links (#21): a key lives only in its link, never on the
    server. The Referer of a shared page's own requests (its style sheet, its icons) holds the link too."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # every text a log format can name: request line, path, Referer, headers ({...}i) and environ ({...}e)
        return {name: without_link_keys(v) if isinstance(v, str) else v for name, v in atoms.items()}


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
            "logger_class": AccessLogger,
            "graceful_timeout": 10,
            "timeout": 60,
        }
    ).run()
