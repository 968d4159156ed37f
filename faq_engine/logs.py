"""Structured logs: one JSON object a line, each with the id of the request it belongs to.

The web layer sets :data:`request_id` for the time of a request; every record logged
meanwhile, by any module, carries it. Nothing personal goes in: the access log redacts the
shopper's question and keeps no client address.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from contextvars import ContextVar
from typing import Any, TextIO

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)  # built once, not per line
# What every LogRecord has; anything else on a record came in through ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._stamp = ""

    def format(self, record: logging.LogRecord) -> str:
        fields = vars(record)
        extra = {k: fields[k] for k in fields.keys() - _STANDARD if not k.startswith("_")}
        if record.exc_info:
            extra["exception"] = self.formatException(record.exc_info)
        return self.line(
            record.created,
            record.levelname.lower(),
            record.name,
            record.getMessage(),
            record.process or os.getpid(),
            request_id.get(),
            extra,
        )

    def line(
        self,
        created: float,
        level: str,
        logger: str,
        message: str,
        pid: int,
        request: str | None,
        fields: dict[str, Any],
    ) -> str:
        """The JSON object of one record (its ``fields`` given with ``extra=``)."""
        entry: dict[str, Any] = {
            "time": self._time(created),
            "level": level,
            "logger": logger,
            "message": message,
            "pid": pid,
        }
        if request is not None:
            entry["request_id"] = request
        entry.update(fields)
        return _ENCODER.encode(entry)

    def _time(self, created: float) -> str:
        """ISO 8601 in UTC to the millisecond; the seconds part is worked out once a second."""
        second = int(created)
        if second != self._second:
            self._second = second
            self._stamp = dt.datetime.fromtimestamp(second, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._stamp}.{int((created - second) * 1000):03d}+00:00"


class LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Whole lines to a stream, written at once for warnings and errors, at most
    ``every`` seconds late for the rest (the access log).

    Each write is a system call; one per access-log line cost about a twelfth of an
    answer's time. Lines are gathered and written together, a few kilobytes at most per
    write, so that processes sharing one output (gunicorn's workers) never split each
    other's lines: a write to a pipe of up to ``PIPE_BUF`` (4,096 bytes) is never
    interleaved with another's.
    """

    PIPE_BUF = 4096

    def __init__(self, stream: TextIO | None = None, every: float = 0.5) -> None:
        super().__init__(stream)
        self.every = every
        self._pending: list[str] = []
        self._size = 0
        self._timer: threading.Timer | None = None
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        self._timer = None  # the parent's timer thread does not exist in the child

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.add(self.format(record), record.levelno)
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - logging's own rule: report, never raise
            self.handleError(record)

    def add(self, text: str, level: int) -> None:
        """Queue one line (written at once from WARNING up)."""
        line = text + self.terminator
        size = len(line.encode("utf-8"))
        self.acquire()
        try:
            if self._size + size > self.PIPE_BUF:
                self._write_out()
            self._pending.append(line)
            self._size += size
            if level >= logging.WARNING:
                self._write_out()
            elif self._timer is None:
                self._timer = threading.Timer(self.every, self.flush)
                self._timer.daemon = True
                self._timer.start()
        finally:
            self.release()

    def flush(self) -> None:
        self.acquire()
        try:
            self._timer = None
            self._write_out()
        finally:
            self.release()

    def _write_out(self) -> None:
        if self._pending:
            text, self._pending, self._size = "".join(self._pending), [], 0
            self.stream.write(text)
        super().flush()


def only_handler(logger: logging.Logger, level: int) -> LineHandler | None:
    """The one place ``logger``'s records at ``level`` go, when that is a :class:`LineHandler`
    writing :class:`JsonFormatter` lines with no filter on the way (how faq-engine sets
    logging up), else None: records must then go through logging as usual."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        found += current.handlers
        if not current.propagate:
            break
        current = current.parent
    if len(found) != 1:
        return None
    handler = found[0]
    if (
        isinstance(handler, LineHandler)
        and type(handler.formatter) is JsonFormatter
        and not handler.filters
        and level >= handler.level
    ):
        return handler
    return None


def lean_records() -> None:
    """Leave out of every log record what these logs never show: the calling file and line,
    the thread and the multiprocessing names (the knobs the logging HOWTO's "Optimization"
    section gives). Each record costs a few microseconds less, at one a request."""
    logging.logThreads = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # type: ignore[attr-defined]


def logging_config(level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping: JSON lines on standard output, gunicorn's
    own messages included (its access log is off: the app writes its own)."""
    name = level.upper()
    if name not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError(f"FAQ_LOG_LEVEL: unknown level {level!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {
                "()": LineHandler,
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"level": name, "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": name, "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }
