"""More than one instance, as far as one machine shows it: two `faq-engine serve` instances
(each its own index folder, as on two machines) over one content folder and one PostgreSQL
database, and an instance whose content is a git clone that is pulled.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from faq_engine.content.publish import publish
from faq_engine.storage import Storage
from faq_engine.web.served import Served, serving

from .conftest import article_text

PASSWORD = "correct horse battery staple"


def first_answer(served: Served, question: str) -> str | None:
    query = urllib.parse.urlencode({"q": question, "locale": "sv"})
    answers = served.json(f"/api/v1/answers?{query}")["answers"]
    return answers[0]["id"] if answers else None


def eventually(check, what: str, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def shop(folder: Path) -> Path:
    (folder / "sv").mkdir(parents=True)
    (folder / "sv" / "swish.md").write_text(
        article_text(title="Kan jag betala med Swish?", body="Ja, med Swish.")
    )
    return folder


def test_two_instances_share_one_database_and_one_content_folder(tmp_path, postgres_url):
    content = shop(tmp_path / "shared-content")
    storage = Storage(postgres_url)  # `faq-engine db upgrade`, once, before the instances
    storage.add_user("editor@example.com", generate_password_hash(PASSWORD), "editor")
    storage.engine.dispose()
    common = {
        "FAQ_CONTENT_DIR": content,
        "DATABASE_URL": postgres_url,
        "SECRET_KEY": "one-secret-for-every-instance",
        "FAQ_WORKERS": 1,
        "FAQ_SECURE_COOKIES": "0",
        "FAQ_RATE_LIMIT_API": "",
    }
    with ExitStack() as stack:
        a, b = (
            stack.enter_context(
                serving({**common, "FAQ_INSTANCE_DIR": tmp_path / name}, tmp_path / f"{name}.log")
            )
            for name in ("instance-a", "instance-b")
        )
        assert first_answer(a, "betala med swish") == first_answer(b, "betala med swish")

        # A publish on the shared folder (here written as the workspace writes it) reaches
        # both instances; each builds its own index.
        publish(content, "sv", "gift-card", article_text(title="Presentkort", body="Finns."))
        for served in (a, b):
            eventually(lambda s=served: first_answer(s, "presentkort") == "gift-card", "publish")

        # Events from both land in the one database.
        for served in (a, b):
            for _ in range(3):
                first_answer(served, "kan jag betala med swish")
        engine = sa.create_engine(postgres_url)
        try:

            def searches() -> int:
                with engine.connect() as connection:
                    found = connection.execute(
                        sa.text("SELECT count(*) FROM events WHERE type = 'search'")
                    )
                    return int(found.scalar_one())

            eventually(lambda: searches() >= 8, "events of both instances stored")
        finally:
            engine.dispose()

        # A staff member signed in on one instance is signed in on the other.
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = browser.open(a.url + "/staff/login").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        form = {"email": "editor@example.com", "password": PASSWORD, "csrf_token": token[1]}
        browser.open(a.url + "/staff/login", urllib.parse.urlencode(form).encode())
        on_b = browser.open(b.url + "/staff/clusters")
        assert on_b.status == 200 and "/staff/login" not in on_b.url
        assert "editor@example.com" in on_b.read().decode()


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_content_from_a_git_repository_is_served_after_a_pull(tmp_path):
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    editing = shop(tmp_path / "editing")
    git(editing, "init", "-q")
    git(editing, "-c", "user.name=Editor", "-c", "user.email=e@example.com", "add", ".")
    git(editing, "-c", "user.name=Editor", "-c", "user.email=e@example.com", "commit", "-qm", "1")
    git(editing, "push", "-q", str(origin), "HEAD:main")
    served_copy = tmp_path / "served-content"
    subprocess.run(
        ["git", "clone", "-q", "--branch", "main", str(origin), str(served_copy)], check=True
    )
    settings = {
        "FAQ_CONTENT_DIR": served_copy,
        "FAQ_INSTANCE_DIR": tmp_path / "instance",
        "FAQ_WORKERS": 2,
        "FAQ_RATE_LIMIT_API": "",
    }
    with serving(settings, tmp_path / "server.log") as served:
        assert first_answer(served, "presentkort") is None
        before = served.workers(2)
        (editing / "sv" / "gift-card.md").write_text(
            article_text(title="Kan jag köpa presentkort?", body="Ja, från 100 kr.")
        )
        identity = ("-c", "user.name=Editor", "-c", "user.email=e@example.com")
        git(editing, *identity, "add", ".")
        git(editing, *identity, "commit", "-qm", "Presentkort")
        git(editing, "push", "-q", str(origin), "HEAD:main")
        git(served_copy, "pull", "-q", "--ff-only")  # what a timer on each machine runs
        assert len(before) == 2
        served.wait_moved(before, timeout=30)  # the pull reached every worker
        for _ in range(10):  # whichever worker answers
            assert first_answer(served, "presentkort") == "gift-card"
            assert json.loads(served.get("/readyz")[2])["content"]["articles"] == {"sv": 2}
