"""``faq-engine bench``: in-process latency of /api/v1/answers against a bare Flask route.

Both are timed in the same run through Flask's test client, so the ratio says what answering
costs on top of Flask itself on this machine.
"""

from __future__ import annotations

import itertools
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

    times = timed({"answers": answer, "bare": lambda: bare.get("/bare")}, repeat)
    answers, base = times["answers"], times["bare"]
    return {
        "requests": repeat,
        "answers_median_ms": round(statistics.median(answers), 3),
        "answers_p99_ms": round(percentile(answers, 0.99), 3),
        "bare_median_ms": round(statistics.median(base), 3),
        "bare_p99_ms": round(percentile(base, 0.99), 3),
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
                }
            )
            report["generated"] = {
                "articles": articles,
                "locale": locale,
                "index_seconds": round(time.perf_counter() - start, 1),
            }
            own = [q for q in queries if q["locale"] == locale]
            report["generated"].update(measure(big, query_urls(own), repeat))
    return report
