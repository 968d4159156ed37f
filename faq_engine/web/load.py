"""``faq-engine load``: throughput and latency under gunicorn, against a bare Flask route.

Both servers run with the same gunicorn settings (workers, threads) on localhost, one after
the other, each driven by wrk for the same time with the same connections:

1. **capacity** of a bare Flask JSON route and of ``/api/v1/answers`` on the content
   (shoppers' questions from JSON Lines files in turn, with their locale and context),
   both servers running, measured in turns (bare, answers, bare, answers...) with a pause
   between turns for the last one's background work to end, so that a busier or a quieter
   moment of the machine weighs on both alike;
2. **steady**: ``/api/v1/answers`` at a share (default 80 %) of the capacity just measured,
   for a minute by default, with its 99th percentile; meanwhile an article is published
   every few seconds, and the time until every worker serves it is measured.

Every run is bounded in time and in requests and only ever talks to the servers it started
on 127.0.0.1. The content is copied first, so publishing never touches the real folder.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.publish import publish
from .bench import UNLIMITED
from .served import BARE_PATH, Repeating, Served, serving

WRK_SCRIPT = r"""
local paths = {}
local n = 0
local sent = 0
local max = tonumber(os.getenv("LOAD_MAX") or "0")
local pause = tonumber(os.getenv("LOAD_DELAY_MS") or "0")
for line in io.lines(os.getenv("LOAD_PATHS")) do paths[#paths + 1] = line end

function init(args)
  n = math.random(#paths)
end

-- Counted as sent, so wrk never reads the bodies into Lua (that would slow the client for
-- large answers and not for the bare route's small one).
function request()
  sent = sent + 1
  if max > 0 and sent > max then wrk.thread:stop() end
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end

if pause > 0 then
  function delay() return pause end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


STEADY_PAUSE_MS = 40  # each paced connection's wait between an answer and its next question


@dataclass(frozen=True)
class Plan:
    seconds: float = 10.0  # each capacity run
    steady_seconds: float = 60.0
    share: float = 0.8  # of the capacity, in the steady run
    connections: int = 8
    wrk_threads: int = 1
    max_requests: int = 2_000_000  # per run, on top of the time bound
    publish_every: float = 5.0
    turns: int = 3  # each capacity run is cut into this many turns, taken in alternation
    settle: float = 1.0  # seconds between turns (events written, logs flushed)


def run(
    content_dir: Path, queries: Sequence[Mapping[str, Any]], plan: Plan, server: Mapping[str, Any]
) -> dict[str, Any]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="faq-load-") as tmp:
        base = Path(tmp)
        content = base / "content"
        shutil.copytree(content_dir, content)
        paths = base / "paths.txt"
        paths.write_text("\n".join(_answer_paths(queries)) + "\n", encoding="utf-8")
        bare_paths = base / "bare.txt"
        bare_paths.write_text(BARE_PATH + "\n", encoding="utf-8")
        script = base / "load.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        common = {"FAQ_LOG_LEVEL": os.environ.get("FAQ_LOG_LEVEL", "info"), **server}
        report: dict[str, Any] = {"plan": vars(plan), "server": dict(server)}

        app_settings = {
            **common,
            "FAQ_CONTENT_DIR": content,
            "FAQ_INSTANCE_DIR": base / "instance",
            "FAQ_RATE_LIMIT_API": UNLIMITED,  # counted, never reached: its cost is in
        }
        with (
            serving(common, base / "bare.log", bare=True) as bare,
            serving(app_settings, base / "app.log") as app,
        ):
            workers = int(server.get("FAQ_WORKERS") or os.cpu_count() or 1)
            # Warm each worker's answer cache: every question about three times per worker
            # (requests go to whichever worker accepts); the bare route as many times.
            warm = len(queries) * workers * 3
            warming = max(5.0, plan.seconds)  # wrk runs its whole time even when done sooner
            _wrk(wrk, script, bare, bare_paths, plan, warming, limit=warm)
            report["warm_up"] = _wrk(wrk, script, app, paths, plan, warming, limit=warm)
            turns: dict[str, list[dict[str, Any]]] = {"bare": [], "answers": []}
            count = max(1, plan.turns)
            turn, limit = max(1.0, plan.seconds / count), plan.max_requests // count
            for _ in range(count):
                for name, served, sent in (("bare", bare, bare_paths), ("answers", app, paths)):
                    time.sleep(plan.settle)
                    turns[name].append(_wrk(wrk, script, served, sent, plan, turn, limit=limit))
            report["bare"] = _merged(turns["bare"])
            report["answers"] = _merged(turns["answers"])
            capacity = report["answers"]["rate"]
            target = capacity * plan.share
            # Paced shoppers: each connection waits STEADY_PAUSE_MS after an answer before
            # asking again, and there are as many as ask ``target`` a second, counting each
            # answer's time at capacity (a few connections with a pause of whole
            # milliseconds each asked far less than the target).
            latency = report["answers"]["median_ms"]
            connections = max(1, round(target * (STEADY_PAUSE_MS + latency) / 1000))
            publisher = Publisher(app, content, workers, plan.publish_every)
            with publisher:
                steady = _wrk(
                    wrk,
                    script,
                    app,
                    paths,
                    plan,
                    plan.steady_seconds,
                    STEADY_PAUSE_MS,
                    connections=connections,
                )
            steady["target_rate"] = round(target, 1)
            steady["connections"] = connections
            steady["pause_ms"] = STEADY_PAUSE_MS
            report["steady"] = steady
            report["publish"] = publisher.summary()
            report["server_errors_logged"] = _server_errors(app.log)
        report["ratio"] = round(report["answers"]["rate"] / report["bare"]["rate"], 3)
        return report


def _answer_paths(queries: Sequence[Mapping[str, Any]]) -> list[str]:
    paths = []
    for query in queries:
        params = {"q": query.get("q") or "", "locale": query["locale"]}
        if query.get("context"):
            params["context"] = query["context"]
        if query.get("category"):
            params["category"] = query["category"]
        paths.append("/api/v1/answers?" + urllib.parse.urlencode(params))
    if not paths:
        raise ValueError("no queries to send")
    return paths


def _wrk(
    wrk: str,
    script: Path,
    served: Served,
    paths: Path,
    plan: Plan,
    seconds: float,
    pause_ms: int = 0,
    limit: int | None = None,
    connections: int | None = None,
) -> dict[str, Any]:
    env = {
        **os.environ,
        "LOAD_PATHS": str(paths),
        "LOAD_DELAY_MS": str(pause_ms),
        "LOAD_MAX": str(max(1, (limit or plan.max_requests) // max(1, plan.wrk_threads))),
    }
    command = [
        wrk,
        f"-t{plan.wrk_threads}",
        f"-c{connections or plan.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        served.url,
    ]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOAD ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[5:])
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"],
        "seconds": round(seconds_run, 2),
        "rate": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "errors": errors,
        "error_kinds": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
        "median_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
    }


def _merged(runs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One capacity figure from its turns: requests over seconds; the median of the turns'
    medians, the highest of their 90th and 99th percentiles and maxima."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    kinds = {k: sum(r["error_kinds"][k] for r in runs) for k in runs[0]["error_kinds"]}
    return {
        "requests": requests,
        "seconds": round(seconds, 2),
        "rate": round(requests / seconds, 1) if seconds else 0.0,
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "median_ms": statistics.median(r["median_ms"] for r in runs),
        "p90_ms": max(r["p90_ms"] for r in runs),
        "p99_ms": max(r["p99_ms"] for r in runs),
        "max_ms": max(r["max_ms"] for r in runs),
        "turns": [{"rate": r["rate"], "p99_ms": r["p99_ms"]} for r in runs],
    }


class Publisher(Repeating):
    """Publishes an edit of one article every ``every`` seconds while the block runs and
    measures how long until every worker serves the new content."""

    def __init__(self, served: Served, content: Path, workers: int, every: float) -> None:
        super().__init__(every)
        self.served = served
        self.content = content
        self.workers = workers
        self.published = 0
        self.times: list[float] = []
        self.failures: list[str] = []

    def step(self) -> None:
        self.published += 1
        try:
            self.times.append(self._publish_once(self.published))
        except Exception as exc:  # noqa: BLE001 - a failed publish is a finding
            self.failures.append(repr(exc))

    def _publish_once(self, n: int) -> float:
        before = self.served.workers(self.workers)
        text = (
            "---\ntitle: Kan jag köpa presentkort?\ncontexts: [general]\n---\n"
            f"Ja, presentkort finns från 100 kr. Version {n}.\n"
        )
        started = time.monotonic()
        publish(self.content, "sv", "load-test-gift-card", text)
        self.served.wait_moved(before, timeout=30)
        return time.monotonic() - started

    def summary(self) -> dict[str, Any]:
        times = sorted(self.times)
        return {
            "publishes": len(times),
            "failures": self.failures,
            "median_s": round(statistics.median(times), 3) if times else None,
            "max_s": round(times[-1], 3) if times else None,
        }


def _server_errors(log: Path) -> int:
    count = 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("level") in ("error", "critical") or int(entry.get("status") or 0) >= 500:
            count += 1
    return count
