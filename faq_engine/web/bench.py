"""``faq-engine bench``: in-process latency of /api/v1/answers against a bare Flask route.

Both are timed in the same run through Flask's test client, so the ratio says what answering
costs on top of Flask itself on this machine.
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, jsonify
from werkzeug.security import generate_password_hash

from ..content import load_content
from ..vocabulary import Vocabulary


class MemorySampler:
    """The peak memory of this process and its children together, sampled every 0.2 s.

    Sums each process's proportional set size (``/proc/<pid>/smaps_rollup``), so pages a
    forked worker shares with its parent count once. Linux only; elsewhere ``peak_mb`` stays
    0 and callers fall back on ``ru_maxrss``.
    """

    def __init__(self, every: float = 0.2) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            total = sum(_pss_kb(pid) for pid in _process_tree(os.getpid()))
            self.peak_mb = max(self.peak_mb, total / 1024)


def _process_tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            found += _process_tree(int(child))
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# One client sends every request: a limit it cannot reach keeps the limiter's cost counted.
UNLIMITED = "1000000000/second"


def bare_app() -> Flask:
    app = Flask("bare")

    @app.get("/bare")
    def bare() -> Any:
        return jsonify({"locale": "sv", "answers": [], "query": "x"})

    return app


def timed(calls: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Milliseconds of ``repeat`` calls of each, after a short warm-up.

    The calls take turns, so a slower or busier moment of the machine weighs on each alike.
    """
    for _ in range(min(50, repeat)):
        for call in calls.values():
            call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            start = time.perf_counter_ns()
            call()
            times[name].append((time.perf_counter_ns() - start) / 1e6)
    return times


def latency(name: str, times: list[float]) -> dict[str, float]:
    """The median and 99th percentile of ``times`` (ms), keyed ``<name>_median_ms`` and
    ``<name>_p99_ms`` as every bench report names them."""
    return {
        f"{name}_median_ms": round(statistics.median(times), 3),
        f"{name}_p99_ms": round(percentile(times, 0.99), 3),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(app: Flask, urls: list[str], repeat: int) -> dict[str, float]:
    client = app.test_client()
    bare = bare_app().test_client()
    cycle = itertools.cycle(urls)

    def answer() -> None:
        response = client.get(next(cycle))
        assert response.status_code == 200, response.data

    # Served as a gunicorn worker serves (web/server.py): the app's long-lived objects (the
    # indexes and analysed articles) frozen out of the garbage collector's passes.
    gc.collect()
    gc.freeze()
    try:
        times = timed({"answers": answer, "bare": lambda: bare.get("/bare")}, repeat)
    finally:
        gc.unfreeze()
    answers, base = times["answers"], times["bare"]
    return {
        "requests": repeat,
        **latency("answers", answers),
        **latency("bare", base),
        "ratio_median": round(statistics.median(answers) / statistics.median(base), 2),
    }


def query_urls(queries: Iterable[dict[str, Any]]) -> list[str]:
    from urllib.parse import urlencode

    urls = []
    for q in queries:
        params = {"locale": q["locale"], "q": q["q"]}
        for key in ("context", "category"):
            if q.get(key):
                params[key] = q[key]
        urls.append("/api/v1/answers?" + urlencode(params))
    return urls


def generate_corpus(source: Path, target: Path, count: int, locale: str, seed: int = 7) -> None:
    """``count`` articles in ``locale`` made of the demo articles' own words and contexts."""
    vocabulary = Vocabulary.load(Path(__file__).parent.parent / "data" / "contexts.yml")
    articles = list(load_content(source, vocabulary).articles.get(locale, {}).values())
    if not articles:
        raise ValueError(f"no {locale!r} articles in {source} to draw words from")
    rng = random.Random(seed)
    words = [w for a in articles for w in (a.title + " " + a.text).split() if w.isalpha()]
    folder = target / locale
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        model = rng.choice(articles)
        title = " ".join(rng.sample(words, 6)).capitalize() + "?"
        body = " ".join(rng.choice(words) for _ in range(rng.randint(60, 200)))
        contexts = ", ".join(model.contexts)
        (folder / f"gen-{n:05d}.md").write_text(
            f'---\ntitle: "{title}"\ncontexts: [{contexts}]\n'
            f'questions:\n  - "{" ".join(rng.sample(words, 5))}?"\n---\n{body}\n',
            encoding="utf-8",
        )


def run(content: Path, queries: list[dict[str, Any]], articles: int, repeat: int) -> dict[str, Any]:
    from .app import create_app

    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        urls = query_urls(queries)
        for cache, name in ((0, "demo"), (4096, "demo_cached")):
            app = create_app(
                {
                    "FAQ_CONTENT_DIR": str(content),
                    "FAQ_INSTANCE_DIR": f"{tmp}/demo",
                    "FAQ_ANSWER_CACHE": cache,
                    "FAQ_RATE_LIMIT_API": UNLIMITED,
                }
            )
            report[name] = measure(app, urls, repeat)
        if articles:
            locale = queries[0]["locale"] if queries else "sv"
            generated = Path(tmp) / "generated"
            generate_corpus(content, generated, articles, locale)
            start = time.perf_counter()
            big = create_app(
                {
                    "FAQ_CONTENT_DIR": str(generated),
                    "FAQ_INSTANCE_DIR": f"{tmp}/gen",
                    "FAQ_ANSWER_CACHE": 0,
                    "FAQ_RATE_LIMIT_API": UNLIMITED,
                }
            )
            report["generated"] = {
                "articles": articles,
                "locale": locale,
                "index_seconds": round(time.perf_counter() - start, 1),
            }
            own = [q for q in queries if q["locale"] == locale]
            report["generated"].update(measure(big, query_urls(own), repeat))
        report["recording"] = measure_recording(content, queries, repeat, tmp)
    return report


def measure_recording(content: Path, queries: list[dict[str, Any]], repeat: int, tmp: str) -> Any:
    """The same answers requests with events recorded and without, in turn: what recording
    costs a request (each request its own widget session, as shoppers' would be)."""
    from .app import create_app

    clients = {}
    for name, flag in (("recorded", "1"), ("not_recorded", "0")):
        app = create_app(
            {
                "FAQ_CONTENT_DIR": str(content),
                "FAQ_INSTANCE_DIR": f"{tmp}/{name}",
                "FAQ_EVENTS": flag,
                "FAQ_RATE_LIMIT_API": UNLIMITED,
            }
        )
        clients[name] = app.test_client()
    urls = query_urls(queries)
    numbers = itertools.count()

    def call(name: str) -> None:
        n = next(numbers)
        response = clients[name].get(f"{urls[n % len(urls)]}&session=bench{n:010d}")
        assert response.status_code == 200, response.data

    times = timed({name: functools.partial(call, name) for name in clients}, repeat)
    recorder = clients["recorded"].application.extensions["faq_engine"].recorder
    recorder.flush(60)
    with_events, without = times["recorded"], times["not_recorded"]
    return {
        "requests": repeat,
        **latency("recorded", with_events),
        **latency("not_recorded", without),
        "cost_median_ms": round(statistics.median(with_events) - statistics.median(without), 3),
        "events_written": recorder.counters.recorded,
        "events_dropped": recorder.counters.dropped,
    }


def dashboard_bench(
    settings: dict[str, Any], url: str | None, events: int, repeat: int
) -> dict[str, Any]:
    """Fill a database with ``events`` demo events (about a month) and a month of tickets,
    then time the dashboard's figures and its whole page, each worked out afresh."""
    from ..analytics.demo import demo_events, demo_tickets
    from ..mining.tickets import import_file
    from .app import create_app
    from .figures import figures, filters_from

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "FAQ_CONTENT_DIR": str(settings["FAQ_CONTENT_DIR"]),
                "FAQ_INSTANCE_DIR": f"{tmp}/instance",
                "DATABASE_URL": url or f"sqlite:///{tmp}/bench.db",
                "FAQ_EVENTS": "0",
                "FAQ_RATE_LIMIT_API": UNLIMITED,
                "FAQ_SECURE_COOKIES": "0",
            }
        )
        services = app.extensions["faq_engine"]
        storage = services.storage
        report: dict[str, Any] = {"database": storage.engine.dialect.name}
        have = storage.count_events()
        if have and have < events * 0.9:
            raise ValueError(f"the database holds {have} events: give an empty one")
        start = time.perf_counter()
        if not have:
            made = demo_events(services.engine, services.markets, scale=events / 70_000)
            while batch := list(itertools.islice(made, 10_000)):
                storage.add_events(batch)
            export = Path(tmp) / "tickets.jsonl"
            with export.open("w", encoding="utf-8") as out:
                for ticket in demo_tickets(services.markets):
                    out.write(json.dumps(ticket, ensure_ascii=False) + "\n")
            import_file(export, "jsonl", storage)
        report["fill_seconds"] = round(time.perf_counter() - start, 1)
        report["events"] = storage.count_events()
        report["tickets"] = storage.count_tickets()
        runs: dict[str, list[float]] = {"figures": [], "page": []}
        client = app.test_client()
        with app.app_context():
            storage.add_user(
                "bench@example.com", generate_password_hash("bench password"), "editor"
            )
        _sign_in(client)
        for _ in range(repeat):
            with app.test_request_context("/staff/dashboard"):
                services.cache.clear()
                start = time.perf_counter()
                figures(filters_from({}))
                runs["figures"].append(time.perf_counter() - start)
            services.cache.clear()
            start = time.perf_counter()
            response = client.get("/staff/dashboard")
            runs["page"].append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        report.update(
            {f"{name}_median_seconds": round(statistics.median(t), 3) for name, t in runs.items()}
        )
        report["repeat"] = repeat
        storage.dispose()
    return report


def _sign_in(client: Any) -> None:
    import re

    page = client.get("/staff/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the login page"
    response = client.post(
        "/staff/login",
        data={"email": "bench@example.com", "password": "bench password", "csrf_token": found[1]},
    )
    assert response.status_code == 302, response.status_code
