"""The production server: gunicorn running the app in worker processes.

The master builds the stale indexes once before forking, so workers only open them. Each
worker then builds its app and starts a :class:`~faq_engine.watch.Watcher`, which keeps its
content current (a publish in another worker, files edited on disk) without a restart. Logs
are JSON lines on standard output, the app's access log included (gunicorn's own is off).
Without a configured ``SECRET_KEY`` the master draws one for the run and hands it to every
worker, so a staff session signed by one worker is valid in the others.
"""

from __future__ import annotations

import gc
import logging
import logging.config
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from ..config import load_settings, resolve_paths
from ..logs import lean_records, logging_config

log = logging.getLogger("faq_engine.server")


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn serving the WSGI app ``factory`` builds in each worker."""

    def __init__(self, factory: Callable[[], Any], options: Mapping[str, Any]) -> None:
        self.factory = factory
        self.options = dict(options)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.factory()  # kept by gunicorn as ``callable``


class AppLogs(Logger):  # type: ignore[misc]
    """gunicorn's logger without its access log: the app writes one line a request itself
    (with the request id, the question redacted). gunicorn would otherwise work out its
    access-log fields for every request only to drop them, since a logging dict is set."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        return None


def gunicorn_options(settings: Mapping[str, Any], **hooks: Any) -> dict[str, Any]:
    """gunicorn's settings from ours (``FAQ_BIND``, ``FAQ_WORKERS``, ``FAQ_TIMEOUT``...)."""
    threads = int(settings["FAQ_THREADS"])
    return {
        "bind": str(settings["FAQ_BIND"]),
        "workers": int(settings["FAQ_WORKERS"]),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": int(settings["FAQ_TIMEOUT"]),
        "graceful_timeout": int(settings["FAQ_GRACEFUL_TIMEOUT"]),
        "keepalive": int(settings["FAQ_KEEPALIVE"]),
        "accesslog": None,
        "logger_class": AppLogs,
        "logconfig_dict": logging_config(str(settings["FAQ_LOG_LEVEL"])),
        "forwarded_allow_ips": "*" if int(settings["FAQ_TRUSTED_PROXIES"]) else "127.0.0.1",
        "proc_name": "faq-engine",
        "limit_request_line": 8190,  # a 500-character question, percent-encoded, fits
        **hooks,
    }


def faq_app(overrides: Mapping[str, Any]) -> Flask:
    """One worker's app, with its content watcher running."""
    from ..watch import Watcher
    from .app import create_app

    app = create_app(overrides)
    services = app.extensions["faq_engine"]
    settings = services.settings
    services.watcher = Watcher(
        services.engine, float(settings["FAQ_RELOAD_POLL"]), float(settings["FAQ_CONTENT_SCAN"])
    ).start()
    # What the app holds now (indexes, dictionaries, catalogs) lives as long as the worker:
    # kept out of the garbage collector's passes, it is not walked again and again while
    # requests are served. The watcher thaws and freezes again after a reload.
    gc.freeze()
    return app


def _worker_exit(server: Any, worker: Any) -> None:
    """Write the worker's queued events and log lines and stop its watcher before it goes."""
    app = getattr(server.app, "callable", None)
    services = getattr(app, "extensions", {}).get("faq_engine") if app is not None else None
    if services is None:
        return
    if services.watcher is not None:
        services.watcher.stop()
    services.recorder.flush(timeout=min(5.0, float(services.settings["FAQ_GRACEFUL_TIMEOUT"])))
    for handler in logging.getLogger().handlers:
        handler.flush()


def run(overrides: Mapping[str, Any] | None = None) -> int:
    """Serve until stopped; ``overrides`` take the place of environment settings."""
    from ..engine import engine_from_settings

    given = dict(overrides or {})
    settings = resolve_paths(load_settings(given))
    lean_records()
    logging.config.dictConfig(logging_config(str(settings["FAQ_LOG_LEVEL"])))
    if not settings["SECRET_KEY"]:
        given["SECRET_KEY"] = secrets.token_hex(32)
        log.warning(
            "SECRET_KEY is not set: the workers share a random key for this run, "
            "so staff are signed out at every restart"
        )
    engine = engine_from_settings(settings)  # builds what is stale, once, before the fork
    for problem in engine.content.problems:
        log.warning("content problem: %s", problem)
    for index in engine.snapshot.indexes.values():
        index.close()
    options = gunicorn_options(settings, worker_exit=_worker_exit)
    Server(lambda: faq_app(given), options).run()
    return 0
