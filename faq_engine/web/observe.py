"""Request ids and the access log.

A request keeps the ``X-Request-ID`` it came with (when it looks like an id), else gets a new
one; the response carries it back, and every log record written meanwhile carries it too.
One JSON line per request: method, path, parameters, status, duration. The shopper's
question is redacted (as everywhere it is stored) and no client address is written.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import time
from typing import Any

from flask import Flask, Response, g, request

from ..logs import request_id
from .services import get_services

log = logging.getLogger("faq_engine.access")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Parameters whose values are ids or numbers; any other value (the question above all) is
# redacted before it is logged.
PLAIN = {"locale", "context", "category", "limit", "explain", "gaps", "sort", "next"}
PLAIN_VALUE = re.compile(r"^[\w.\-/]{0,64}$")


_ids: dict[str, Any] = {"pid": None}


def new_request_id() -> str:
    """A new id: a random prefix drawn once per process, then a counter (cheaper than a
    random id per request, and as unique)."""
    if _ids["pid"] != os.getpid():
        _ids.update(pid=os.getpid(), prefix=secrets.token_hex(8), count=itertools.count())
    return f"{_ids['prefix']}{next(_ids['count']):016x}"


def register(app: Flask) -> None:
    @app.before_request
    def start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if INCOMING_ID.match(incoming) else new_request_id()
        g.request_id_token = request_id.set(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        rid = getattr(g, "request_id", None)
        if rid is None:  # a failure before start(): still answer with an id
            rid = new_request_id()
        response.headers["X-Request-ID"] = rid
        started = getattr(g, "started", None)
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "type": "access",
                "method": request.method,
                "path": request.path,
                "params": _params(),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "bytes": response.content_length,
            },
        )
        return response

    @app.teardown_request
    def end(_: BaseException | None = None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id.reset(token)


def _params() -> dict[str, Any]:
    if not request.args:
        return {}
    locale = request.args.get("locale") or ""
    if locale not in get_services().engine.locales:
        locale = str(get_services().settings["FAQ_DEFAULT_LOCALE"])
    shown: dict[str, Any] = {}
    for key, value in request.args.items(multi=True):
        if not PLAIN_VALUE.match(key):
            key = _redacted(key, locale)
        if key in PLAIN and PLAIN_VALUE.match(value):
            shown[key] = value
        else:
            shown[key] = _redacted(value, locale)
    return shown


def _redacted(value: str, locale: str) -> str:
    return get_services().redact(value[:500], locale)
