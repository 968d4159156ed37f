"""``/healthz`` (the process answers) and ``/readyz`` (it can serve), for load balancers.

Ready means the content is loaded and every locale's index is open. The database is needed
for feedback and events only, so when it cannot be reached the service is ``degraded``
(answers still flow) rather than unavailable; so it is when some content files are broken
(the others are served; staff see the problems in the workspace).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import Any

from flask import Blueprint, jsonify

from .. import __version__
from .services import get_services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok", "version": __version__})


@bp.get("/readyz")
def readyz() -> Any:
    services = get_services()
    snapshot = services.engine.snapshot
    articles = {locale: len(by_id) for locale, by_id in snapshot.content.articles.items()}
    indexes = {locale: index.generation for locale, index in snapshot.indexes.items()}
    database = services.storage.ping()
    serving = bool(articles) and set(indexes) == set(articles)
    problems = len(snapshot.content.problems)
    if not serving:
        status = "unavailable"
    elif database is not None or problems:
        status = "degraded"
    else:
        status = "ready"
    body = {
        "status": status,
        "worker": os.getpid(),
        "content": {
            "version": snapshot.signature,
            "loaded_at": dt.datetime.fromtimestamp(snapshot.loaded_at, dt.UTC).isoformat(
                timespec="seconds"
            ),
            "articles": articles,
            "problems": problems,
        },
        "index": indexes,
        "database": {"reachable": database is None, "error": database},
        # This worker's events since it started: written, or dropped (database down,
        # queue full), merged (typing steps), refused (over a session's budget).
        "events": dataclasses.asdict(services.recorder.counters),
    }
    return jsonify(body), 200 if serving else 503
