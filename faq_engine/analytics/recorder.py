"""Events are queued by the request and written in batches by a background thread, so that
recording never slows an answer down or breaks it: when the database is down the batch is
dropped and counted, and answering goes on.

The query text is redacted in that thread, before anything is written. A widget types its way
to a question ("hur", "hur lång", "hur lång tid tar leveransen"); searches of one session that
extend or shorten the one before within a few seconds are kept as one search, the last, and
what a dropped step showed (its contact block) goes with it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..storage import Storage

TYPES = ("search", "open", "feedback", "contact_shown", "contact_click")
SESSION = re.compile(r"[A-Za-z0-9_-]{8,64}")
SETTLE_SECONDS = 20.0  # a typed search is final when its session has not changed it for this long
SESSION_BUDGET = 300  # events one session may record in an hour; beyond that it is abuse
log = logging.getLogger("faq_engine.events")


def normalise_query(text: str) -> str:
    """The form queries are counted in: lower case, single spaces, no closing punctuation."""
    return " ".join(text.casefold().split()).rstrip(" ?!.")


def epoch_hour(moment: dt.datetime) -> int:
    return int(moment.timestamp() // 3600)


@dataclass
class Counters:
    recorded: int = 0
    dropped: int = 0  # lost because the database failed or the queue was full
    merged: int = 0  # typing steps folded into the search they led to
    refused: int = 0  # over a session's budget


@dataclass
class _Pending:
    """A session's latest search, not yet final, with what it showed."""

    rows: list[dict[str, Any]]
    seen: float = field(default_factory=time.monotonic)


class Recorder:
    """Queue of events for one process; after a fork the child starts its own thread."""

    def __init__(
        self,
        storage: Storage,
        redact: Callable[[str, str], str],
        enabled: bool = True,
        capacity: int = 20_000,
        batch: int = 500,
        interval: float = 0.5,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        self.storage = storage
        self.redact = redact
        self.enabled = enabled
        self.capacity = capacity
        self.batch = batch
        self.interval = interval
        self.settle = settle
        self.counters = Counters()
        self._pid = -1
        self._lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(capacity)
        self._pending: dict[str, _Pending] = {}
        self._budget: dict[str, list[float]] = {}  # session -> [events, hour it started]
        self._wake = threading.Event()

    def record(self, type: str, locale: str, **fields: Any) -> None:
        """Queue one event (``type`` one of TYPES); never waits, never fails on the database."""
        if not self.enabled:
            return
        if type not in TYPES:
            raise ValueError(f"unknown event type {type!r}")
        self._start()
        event = {"type": type, "locale": locale, "at": dt.datetime.now(dt.UTC), **fields}
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.counters.dropped += 1

    def allow(self, session: str | None) -> bool:
        """Whether ``session`` may record one more event this hour (the public endpoint's
        bound: a script replaying one page cannot fill the database)."""
        if not session:
            return True
        now = time.monotonic()
        with self._lock:
            if len(self._budget) > 100_000:  # forget the sessions of past hours
                self._budget = {s: b for s, b in self._budget.items() if now - b[1] < 3600}
            used = self._budget.get(session)
            if used is None or now - used[1] >= 3600:
                used = self._budget[session] = [0, now]
            used[0] += 1
            if used[0] > SESSION_BUDGET:
                self.counters.refused += 1
                return False
        return True

    def flush(self, timeout: float = 10.0) -> None:
        """Write everything queued and every pending search now (tests, commands, exit)."""
        if self._pid != os.getpid():
            return
        try:
            self._queue.put(None, timeout=timeout)  # the thread writes its pending searches too
        except queue.Full:
            return
        self._wake.set()
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def _start(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            if self._pid != -1:  # forked: the parent's queue, lock holders and pool stay there
                self._queue = queue.Queue(self.capacity)
                self._pending = {}
                self._wake = threading.Event()
                self.storage.engine.dispose(close=False)
            else:
                atexit.register(self.flush, 2.0)
            self._pid = os.getpid()
            threading.Thread(target=self._run, name="faq-events", daemon=True).start()

    def _run(self) -> None:
        while True:
            rows: list[dict[str, Any]] = []
            taken, everything = self._take(rows)
            try:
                rows.extend(self._settled(everything))
                self._write(rows)
            except Exception:  # noqa: BLE001 - the writer must outlive any one bad batch
                self.counters.dropped += len(rows)
                log.exception("events dropped: %d", len(rows))
            finally:
                for _ in range(taken):
                    self._queue.task_done()

    def _take(self, rows: list[dict[str, Any]]) -> tuple[int, bool]:
        """Move up to a batch of queued events into ``rows``; (how many taken, flush all)."""
        taken, everything = 0, False
        try:
            item = self._queue.get(timeout=self.interval)
            if item is not None and self._queue.qsize() < self.batch:
                # Let one interval's events gather before taking them: one insert for a busy
                # half second rather than one per search, and no wake-up of this thread per
                # search to take the interpreter from the requests. A flush cuts it short.
                self._wake.wait(self.interval)
            self._wake.clear()
            while True:
                taken += 1
                if item is None:
                    everything = True
                else:
                    try:
                        rows.extend(self._admit(self._row(item)))
                    except Exception:  # noqa: BLE001 - one odd event must not stop the rest
                        self.counters.dropped += 1
                        log.exception("event dropped")
                if len(rows) >= self.batch:
                    break
                item = self._queue.get_nowait()
        except queue.Empty:
            pass
        return taken, everything

    def _admit(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """The rows ready to write once ``row`` is in; a search may wait as pending."""
        session = row.get("session")
        if not session:
            return [row]
        earlier = self._pending.pop(session, None)
        if row["type"] == "contact_shown" and earlier is not None:
            earlier.rows.append(row)  # shown for that search: kept or dropped with it
            self._pending[session] = earlier
            return []
        if row["type"] != "search":
            return (earlier.rows if earlier else []) + [row]
        self._pending[session] = _Pending([row])
        if earlier is None:
            return []
        before, now = earlier.rows[0].get("query") or "", row.get("query") or ""
        if now.startswith(before) or before.startswith(now):
            self.counters.merged += 1
            return []
        return earlier.rows

    def _settled(self, everything: bool = False) -> list[dict[str, Any]]:
        limit = time.monotonic() - self.settle
        done = [s for s, p in self._pending.items() if everything or p.seen <= limit]
        return [row for s in done for row in self._pending.pop(s).rows]

    def _row(self, event: dict[str, Any]) -> dict[str, Any]:
        row = dict(event)
        row["hour"] = epoch_hour(row["at"])
        query = row.get("query")
        if query:
            row["query"] = normalise_query(self.redact(str(query), row["locale"]))[:500] or None
        answers = row.get("answers")
        if isinstance(answers, list | tuple):
            row["answers"] = " ".join(answers)[:1000] or None
        return row

    def _write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        try:
            self.counters.recorded += self.storage.add_events(rows)
        except sa.exc.SQLAlchemyError as exc:
            self.counters.dropped += len(rows)
            log.warning("events dropped: %d (%s)", len(rows), type(exc).__name__)
