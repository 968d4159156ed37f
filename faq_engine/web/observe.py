"""Request ids and the access log.

A request keeps the ``X-Request-ID`` it came with (when it looks like an id), else gets a new
one; the response carries it back, and every log record written meanwhile carries it too.
One JSON line per request: method, path, parameters, status, duration. The shopper's
question is redacted (as everywhere it is stored) and no client address is written. Set up
as faq-engine sets logging up (one JSON handler), the line goes straight to that handler:
building a log record per request only to take it apart again cost about 0.02 ms.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import secrets
import time
from typing import Any, cast

from flask import Flask, Request, Response, g, request

from ..cache import LRU
from ..logs import JsonFormatter, only_handler, request_id
from .services import get_services

log = logging.getLogger("faq_engine.access")
INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Parameters whose values are ids or numbers; any other value (the question above all) is
# redacted before it is logged.
PLAIN = {"locale", "context", "category", "limit", "explain", "gaps", "sort", "next"}
PLAIN_VALUE = re.compile(r"^[\w.\-/]{0,64}$")


class _Ids:
    """Request ids: a random prefix drawn once per process (again after a fork), then a
    counter; cheaper than a random id per request, and as unique."""

    def __init__(self) -> None:
        self.renew()
        os.register_at_fork(after_in_child=self.renew)

    def renew(self) -> None:
        self.prefix = secrets.token_hex(8)
        self.count = itertools.count()

    def new(self) -> str:
        return f"{self.prefix}{next(self.count):016x}"


_ids = _Ids()


def register(app: Flask) -> None:
    # What the log shows of a query string, kept: shoppers send the same ones again and again.
    shown: LRU[dict[str, Any]] = LRU(4096)

    @app.before_request
    def start() -> None:
        state = g._get_current_object()  # type: ignore[attr-defined]
        incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
        state.request_id = incoming if INCOMING_ID.match(incoming) else _ids.new()
        state.request_id_token = request_id.set(state.request_id)
        state.started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        req = request._get_current_object()  # type: ignore[attr-defined]
        state = g._get_current_object()  # type: ignore[attr-defined]
        rid = getattr(state, "request_id", None)
        if rid is None:  # a failure before start(): still answer with an id
            rid = _ids.new()
        response.headers["X-Request-ID"] = rid
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        if not log.isEnabledFor(level):
            return response
        started = getattr(state, "started", None)
        method, path = req.method, req.path
        query = req.query_string
        fields = {
            "type": "access",
            "method": method,
            "path": path,
            "params": shown.get(query, lambda: _params(req)) if query else {},
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
            "bytes": response.content_length,
        }
        message = f"{method} {path} {status}"
        handler = only_handler(log, level)
        if handler is None:
            log.log(level, "%s", message, extra=fields)
        else:  # the same line, without building a record only to take it apart again
            formatter = cast(JsonFormatter, handler.formatter)
            name = logging.getLevelName(level).lower()
            line = formatter.line(time.time(), name, log.name, message, os.getpid(), rid, fields)
            handler.add(line, level)
        return response

    @app.teardown_request
    def end(_: BaseException | None = None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id.reset(token)


def _params(req: Request) -> dict[str, Any]:
    services = get_services()
    locale = req.args.get("locale") or ""
    if locale not in services.engine.locales:
        locale = str(services.settings["FAQ_DEFAULT_LOCALE"])
    shown: dict[str, Any] = {}
    for key, value in req.args.items(multi=True):
        if not PLAIN_VALUE.match(key):
            key = services.redact(key[:500], locale)
        if key in PLAIN and PLAIN_VALUE.match(value):
            shown[key] = value
        else:
            shown[key] = services.redact(value[:500], locale)
    return shown
