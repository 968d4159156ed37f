"""Faults a shop will meet: a process killed mid-publish or mid-index, the database gone.

(A corrupted or missing index rebuilt at start is in test_index; broken YAML pushed to a
live server in test_serving and test_staff.)
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from faq_engine.config import load_settings, resolve_paths
from faq_engine.content import load_content
from faq_engine.engine import engine_from_settings
from faq_engine.models import AnswerRequest
from faq_engine.vocabulary import Vocabulary
from faq_engine.web.served import serving

from .conftest import article_text

VOCABULARY = Vocabulary.load(Path(load_settings()["FAQ_CONTEXTS_FILE"]))

PUBLISHER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from faq_engine.content.publish import publish

    root, n = Path(sys.argv[1]), 0
    print("ready", flush=True)
    while True:
        n += 1
        mark = "AB"[n % 2]
        body = (mark * 79 + "\\n") * 5000  # 400 KB: the write takes a while
        publish(root, "sv", "big", f"---\\ntitle: Version {mark}\\n---\\n{body}")
    """
)


def started(code: str, *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def killed(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.stdout is not None
    child.stdout.close()


def test_sigkill_in_the_middle_of_a_publish_leaves_the_old_or_the_new_article(tmp_path):
    content = tmp_path / "content"
    (content / "sv").mkdir(parents=True)
    (content / "sv" / "other.md").write_text(article_text(title="Annan fråga", body="Svar."))
    chance = random.Random(7)
    versions = set()
    for _ in range(12):
        child = started(PUBLISHER, str(content))
        time.sleep(chance.uniform(0.05, 0.6))
        killed(child)
        loaded = load_content(content, VOCABULARY)
        assert loaded.problems == []
        big = loaded.articles["sv"].get("big")
        if big is None:  # killed before the first publish was complete
            continue
        mark = big.title[-1]
        assert big.title in ("Version A", "Version B")
        assert big.text.replace("\n", "").replace(" ", "") == mark * 79 * 5000
        versions.add(mark)
        assert loaded.articles["sv"]["other"].title == "Annan fråga"
    assert versions == {"A", "B"}  # kills landed at different points
    for kept in (content / "_history" / "sv" / "big").glob("*.md"):
        assert kept.read_text().startswith("---\ntitle: Version ")  # every kept copy whole


INDEXER = textwrap.dedent(
    """
    import sys
    from faq_engine.config import load_settings, resolve_paths
    from faq_engine.engine import engine_from_settings

    settings = resolve_paths(load_settings({"FAQ_CONTENT_DIR": sys.argv[1],
                                            "FAQ_INSTANCE_DIR": sys.argv[2]}))
    engine = engine_from_settings(settings)
    print("ready", flush=True)
    while True:
        engine.reload(force=True)
    """
)


def test_sigkill_while_indexing_leaves_an_index_that_opens(tmp_path):
    content, instance = tmp_path / "content", tmp_path / "instance"
    (content / "sv").mkdir(parents=True)
    for n in range(150):
        title = f"Hur lång tid tar leveransen till ort {n}?"
        (content / "sv" / f"article-{n}.md").write_text(
            article_text(title=title, body=f"Leveransen till ort {n} tar {n % 5 + 1} dagar.")
        )
    (content / "sv" / "swish.md").write_text(
        article_text(title="Kan jag betala med Swish?", body="Ja, med Swish.")
    )
    chance = random.Random(11)
    for _ in range(6):
        child = started(INDEXER, str(content), str(instance))
        time.sleep(chance.uniform(0.1, 1.5))
        killed(child)
        settings = resolve_paths(
            load_settings({"FAQ_CONTENT_DIR": content, "FAQ_INSTANCE_DIR": instance})
        )
        engine = engine_from_settings(settings)
        found = engine.answers(AnswerRequest(locale="sv", query="betala med swish"))
        assert [a.article.id for a in found.answers][:1] == ["swish"]
        for index in engine.snapshot.indexes.values():
            index.close()


def test_an_unreachable_database_leaves_answers_flowing_and_counts_what_is_dropped(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    (content / "sv").mkdir(parents=True)
    (content / "sv" / "swish.md").write_text(
        article_text(title="Kan jag betala med Swish?", body="Ja, med Swish.")
    )
    settings = {
        "FAQ_CONTENT_DIR": content,
        "FAQ_INSTANCE_DIR": tmp_path / "instance",
        "DATABASE_URL": "postgresql+psycopg://nobody:x@127.0.0.1:1/none",
        "FAQ_WORKERS": 1,
        "FAQ_RATE_LIMIT_API": "",
    }
    with serving(settings, tmp_path / "server.log") as served:
        for _ in range(10):
            query = urllib.parse.urlencode({"q": "kan jag betala med swish", "locale": "sv"})
            status, _, body = served.get(f"/api/v1/answers?{query}")
            assert status == 200 and json.loads(body)["answers"][0]["id"] == "swish"
        deadline = time.monotonic() + 20
        ready = served.json("/readyz")
        while ready["events"]["dropped"] < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
            ready = served.json("/readyz")
        assert ready["status"] == "degraded" and ready["database"]["reachable"] is False
        assert ready["events"]["dropped"] >= 10 and ready["events"]["recorded"] == 0
        feedback = urllib.request.Request(
            served.url + "/api/v1/feedback",
            data=json.dumps({"article": "swish", "locale": "sv", "helpful": True}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(feedback, timeout=10)
            raise AssertionError("feedback stored without a database")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            assert json.loads(error.read())["error"]["code"] == "database_unavailable"
