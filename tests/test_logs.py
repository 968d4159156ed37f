"""The JSON log handler: lines gathered and written whole, warnings at once, never a write
over 4 KB; the access log's direct line is the one logging would have written."""

from __future__ import annotations

import io
import json
import logging
import time

from faq_engine.logs import JsonFormatter, LineHandler, only_handler


class Writes(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def _logger(name: str, every: float = 0.2) -> tuple[logging.Logger, LineHandler, Writes]:
    stream = Writes()
    handler = LineHandler(stream, every=every)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, handler, stream


def test_info_lines_wait_a_moment_and_warnings_go_out_at_once():
    logger, handler, stream = _logger("faq_engine.test.lines")
    logger.info("one", extra={"n": 1})
    logger.info("two", extra={"n": 2})
    assert stream.writes == []
    logger.warning("three")
    assert len(stream.writes) == 1  # the two waiting lines and the warning, in one write
    assert [json.loads(x)["message"] for x in stream.getvalue().splitlines()] == [
        "one",
        "two",
        "three",
    ]
    logger.info("four")
    deadline = time.monotonic() + 5
    while "four" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert json.loads(stream.getvalue().splitlines()[-1])["message"] == "four"


def test_no_write_is_over_4_kb_and_every_write_holds_whole_lines():
    logger, handler, stream = _logger("faq_engine.test.sizes")
    for n in range(200):
        logger.info("line %d", n, extra={"text": "å" * 50})
    handler.flush()
    assert all(len(w.encode()) <= LineHandler.PIPE_BUF and w.endswith("\n") for w in stream.writes)
    assert len(stream.getvalue().splitlines()) == 200


def test_only_handler_finds_the_json_handler_and_nothing_else():
    logger, handler, _ = _logger("faq_engine.test.only")
    assert only_handler(logger, logging.INFO) is handler
    handler.setLevel(logging.WARNING)
    assert only_handler(logger, logging.INFO) is None
    handler.setLevel(logging.NOTSET)
    logger.addHandler(logging.NullHandler())
    assert only_handler(logger, logging.INFO) is None  # a second place: through logging
    logger.handlers[:] = [handler]
    logger.addFilter(lambda record: True)
    assert only_handler(logger, logging.INFO) is None


def test_the_direct_line_is_the_line_logging_writes():
    logger, handler, stream = _logger("faq_engine.test.same")
    fields = {"type": "access", "params": {"q": "hur [NAME]"}, "status": 200, "ms": 0.4}
    logger.info("%s", "GET /api/v1/answers 200", extra=fields)
    formatter = handler.formatter
    assert isinstance(formatter, JsonFormatter)
    record = json.loads(stream.getvalue() or _flushed(handler, stream))
    direct = json.loads(
        formatter.line(
            time.time(), "info", logger.name, "GET /api/v1/answers 200", record["pid"], None, fields
        )
    )
    assert record.pop("time")[:10] == direct.pop("time")[:10]
    assert record == direct


def _flushed(handler: LineHandler, stream: Writes) -> str:
    handler.flush()
    return stream.getvalue()
