"""A server in a child process on a free localhost port, for the load command and the tests.

``serving(settings)`` runs ``faq-engine serve`` (gunicorn and its workers) with ``settings``
on top of the environment and yields once ``/readyz`` answers 200; ``serving(settings,
bare=True)`` runs a bare Flask JSON route under the same gunicorn settings instead, the
yardstick of ``faq-engine load``. The server is stopped (its whole process group) when the
block ends.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

BARE_PATH = "/bare"


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def get(self, path: str, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of a GET; an HTTP error status is returned, not raised."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, path: str) -> Any:
        return json.loads(self.get(path)[2])

    def workers(self, expected: int, tries: int = 400) -> dict[int, str]:
        """Each worker's pid and content version, asking ``/readyz`` until ``expected``
        workers have answered (requests go to whichever worker accepts first)."""
        seen: dict[int, str] = {}
        for _ in range(tries):
            body = self.json("/readyz")
            seen[int(body["worker"])] = str(body["content"]["version"])
            if len(seen) >= expected:
                break
        return seen

    def wait_moved(self, before: Mapping[int, str], timeout: float = 60.0) -> dict[int, str]:
        """Ask ``/readyz`` until each worker of ``before`` (pid -> content version) serves
        another version; the workers' new versions, or TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        now: dict[int, str] = {}
        while time.monotonic() < deadline:
            now = self.workers(len(before), tries=50)
            if set(now) == set(before) and all(now[pid] != before[pid] for pid in before):
                return now
            time.sleep(0.02)
        raise TimeoutError(f"not every worker moved on within {timeout:.0f} s: {before} -> {now}")


class Repeating:
    """Runs :meth:`step` again and again in a thread while the ``with`` block runs,
    ``every`` seconds apart (0: without pause)."""

    def __init__(self, every: float = 0.0) -> None:
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def step(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.step()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    settings: Mapping[str, Any], log: Path, bare: bool = False, timeout: float = 180.0
) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, **{k: str(v) for k, v in settings.items()}}
    env["FAQ_BIND"] = f"127.0.0.1:{port}"
    if bare:
        command = [sys.executable, "-m", "faq_engine.web.served"]
    else:
        command = [sys.executable, "-m", "faq_engine", "serve"]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    served = Served(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(served, BARE_PATH if bare else "/readyz", timeout)
        yield served
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 30.0) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_ready(served: Served, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"the server exited ({served.process.returncode}):\n{_tail(served)}")
        try:
            if served.get(path, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server was not ready within {timeout:.0f} s:\n{_tail(served)}")


def _tail(served: Served, lines: int = 30) -> str:
    return "\n".join(served.log.read_text(errors="replace").splitlines()[-lines:])


def _serve_bare() -> int:
    """gunicorn with our settings over the bare app (``python -m faq_engine.web.served``)."""
    from ..config import load_settings
    from .bench import bare_app
    from .server import Server, gunicorn_options

    Server(bare_app, gunicorn_options(load_settings())).run()
    return 0


if __name__ == "__main__":
    sys.exit(_serve_bare())
