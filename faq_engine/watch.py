"""Keeping a serving process's engine current: a background thread per process.

Every ``poll`` seconds the thread checks the stamp that a process writes after loading new
content (a publish in another worker, say): one ``stat``. One process of those serving the
folder from this instance holds the scan lock and also scans the content folder every
``scan`` seconds, for files edited on disk, a ``git pull`` or a publish by another instance
on a shared folder; when it finds a change it loads it (building the changed indexes) and
writes the stamp, and the others follow. If that process dies, the kernel frees the lock
and another one takes the scan over.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

from .engine import Engine
from .locks import Held

log = logging.getLogger(__name__)
RETRY_AFTER_FAILURE = 5.0  # seconds; a broken disk should not fill the log four times a second


def refreeze() -> None:
    """After a reload in a process whose long-lived objects were frozen (``gc.freeze``, as
    the server's workers do): collect the old content's cycles, which the collector never
    sees while frozen, and freeze what is live now. About 80 ms, once a publish."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()


class Watcher:
    def __init__(self, engine: Engine, poll: float, scan: float) -> None:
        self.engine = engine
        self.poll = max(0.01, poll)
        self.scan = scan
        self.scanning: Held | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="content-watch", daemon=True)

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        if self.scanning is not None:
            self.scanning.release()

    def _run(self) -> None:
        next_scan = 0.0
        while not self._stop.wait(self.poll):
            scan = False
            if self.scan > 0 and time.monotonic() >= next_scan:
                if self.scanning is None or not self.scanning.held:
                    self.scanning = Held(self.engine.index_dir / ".scan.lock")
                scan = self.scanning.held
                next_scan = time.monotonic() + self.scan
            try:
                if self.engine.refresh(scan=scan):
                    log.info("content reloaded", extra={"content": self.engine.snapshot.signature})
                    refreeze()
            except Exception:  # noqa: BLE001 - the old content keeps serving; try again later
                log.exception("reloading the content failed")
                self._stop.wait(RETRY_AFTER_FAILURE)
