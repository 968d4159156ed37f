"""`faq-engine serve` as a shop runs it: gunicorn with two workers in a child process.

A publish, a file edited on disk and a broken file pushed live must reach every worker
without a restart while requests keep flowing; logs are JSON lines with request ids and
no personal data.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from faq_engine.content.publish import publish, write_atomically
from faq_engine.web.served import Repeating, Served, serving

from .conftest import article_text

WORKERS = 2
ARTICLES = {
    "delivery-time": ("Hur lång tid tar leveransen?", "Leveransen tar 1–3 vardagar."),
    "return-cost": ("Kostar det att returnera?", "En retur kostar 49 kr."),
    "payment-methods": ("Hur kan jag betala?", "Du kan betala med kort och Swish."),
}


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("live") / "content"
    for article_id, (title, body) in ARTICLES.items():
        path = folder / "sv" / f"{article_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(title=title, body=body), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(content: Path) -> Iterator[Served]:
    settings = {
        "FAQ_CONTENT_DIR": content,
        "FAQ_INSTANCE_DIR": content.parent / "instance",
        "FAQ_WORKERS": WORKERS,
        "FAQ_RATE_LIMIT_API": "",
        "FAQ_SECURE_COOKIES": "0",
    }
    with serving(settings, content.parent / "server.log") as served:
        yield served


def answers(server: Served, question: str) -> list[str]:
    query = urllib.parse.urlencode({"q": question, "locale": "sv"})
    status, _, body = server.get(f"/api/v1/answers?{query}")
    assert status == 200, body
    return [answer["id"] for answer in json.loads(body)["answers"]]


class Traffic(Repeating):
    """Questions asked without pause in a thread; every failure is kept."""

    def __init__(self, server: Served) -> None:
        super().__init__()
        self.server = server
        self.failures: list[str] = []
        self.count = 0

    def step(self) -> None:
        try:
            found = answers(self.server, "vad kostar returen")
            if "return-cost" not in found:
                self.failures.append(f"return-cost not found: {found}")
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            self.failures.append(repr(exc))
        self.count += 1


def test_both_workers_serve_and_are_ready(server: Served) -> None:
    workers = server.workers(WORKERS)
    assert len(workers) == WORKERS
    assert len(set(workers.values())) == 1
    body = server.json("/readyz")
    assert body["status"] == "ready"
    assert body["content"]["articles"] == {"sv": len(ARTICLES)}
    assert server.json("/healthz")["status"] == "ok"


def test_a_publish_reaches_every_worker_while_questions_flow(server: Served, content: Path) -> None:
    before = server.workers(WORKERS)
    with Traffic(server) as traffic:
        publish(
            content,
            "sv",
            "gift-card",
            article_text(title="Kan jag köpa ett presentkort?", body="Presentkort finns."),
        )
        server.wait_moved(before)
        for _ in range(10):  # whichever worker answers
            assert answers(server, "presentkort")[:1] == ["gift-card"]
    assert traffic.count > 0
    assert traffic.failures == []


def test_a_file_edited_on_disk_reaches_every_worker(server: Served, content: Path) -> None:
    before = server.workers(WORKERS)
    title, _ = ARTICLES["payment-methods"]
    write_atomically(
        content / "sv" / "payment-methods.md",
        article_text(title=title, body="Du kan betala med kort, Swish och Klarna faktura."),
    )
    server.wait_moved(before)
    for _ in range(10):
        assert answers(server, "klarna faktura")[:1] == ["payment-methods"]


def test_bad_yaml_pushed_live_keeps_the_rest_serving(server: Served, content: Path) -> None:
    before = server.workers(WORKERS)
    broken = content / "sv" / "broken.md"
    with Traffic(server) as traffic:
        broken.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
        server.wait_moved(before)
    try:
        for _ in range(10):
            ready = server.json("/readyz")
            assert ready["status"] == "degraded"
            assert ready["content"]["problems"] == 1
        assert traffic.failures == []
    finally:
        before = server.workers(WORKERS)
        broken.unlink()
        server.wait_moved(before)
    assert server.json("/readyz")["status"] == "ready"


def test_logs_are_json_lines_with_request_ids_and_no_personal_data(server: Served) -> None:
    question = "min mejl är anna.berg@example.se, var är paketet"
    query = urllib.parse.urlencode({"q": question, "locale": "sv"})
    status, headers, _ = server.get(f"/api/v1/answers?{query}")
    assert status == 200
    request_id = headers["X-Request-ID"]
    deadline = time.monotonic() + 10
    mine: list[dict[str, object]] = []
    while not mine and time.monotonic() < deadline:
        lines = server.log.read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        mine = [entry for entry in entries if entry.get("request_id") == request_id]
        time.sleep(0.05)
    assert mine, "no log line carries the request id"
    access = mine[-1]
    assert access["type"] == "access" and access["status"] == 200
    assert "[EMAIL]" in str(access["params"])
    assert "anna.berg" not in server.log.read_text(encoding="utf-8")
    for line in server.log.read_text(encoding="utf-8").splitlines():
        json.loads(line)  # every line, gunicorn's own included, is one JSON object
