"""Loading and validating articles: every problem as path:line: message, the rest served."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from faq_engine.content import load_content
from faq_engine.vocabulary import Vocabulary

VOCABULARY = Vocabulary.load(
    Path(__file__).resolve().parent.parent / "faq_engine/data/contexts.yml"
)


def problems_of(content_dir: Path) -> list[str]:
    return [str(p) for p in load_content(content_dir, VOCABULARY).problems]


def test_valid_article_loads_with_defaults(content_dir, write_article):
    write_article("sv", "plain", title="Fråga?", body="Svar.")
    content = load_content(content_dir, VOCABULARY)
    assert content.problems == []
    article = content.get("sv", "plain")
    assert article.contexts == ("general",)
    assert article.html == "<p>Svar.</p>"
    assert article.url == "/sv/help/plain"


def test_bad_yaml_reported_with_line(content_dir, write_article):
    write_article("sv", "ok", title="Fungerar", body="Text.")
    write_article("sv", "broken", raw="---\ntitle: Trasig\ncontexts: [general\n---\nText.\n")
    content = load_content(content_dir, VOCABULARY)
    [problem] = [str(p) for p in content.problems]
    assert problem.startswith("content/sv/broken.md:")
    line = int(problem.split(":")[1])
    assert 3 <= line <= 4
    assert "bad YAML" in problem
    assert content.get("sv", "ok") is not None
    assert content.get("sv", "broken") is None


def test_unknown_context_and_category_point_at_the_item(content_dir, write_article):
    write_article(
        "sv",
        "odd",
        raw="---\ntitle: Udda\ncontexts:\n  - checkout.delivery\n  - checkout.nowhere\n"
        "categories: [velvet]\n---\nText.\n",
    )
    found = problems_of(content_dir)
    assert "content/sv/odd.md:5: unknown context 'checkout.nowhere'" in found[0]
    assert found[1].startswith("content/sv/odd.md:6: unknown category 'velvet'")


def test_missing_title_and_id_mismatch(content_dir, write_article):
    write_article("sv", "no-title", raw="---\ncontexts: [general]\n---\nText.\n")
    write_article("sv", "named", raw="---\nid: other-name\ntitle: T\n---\nText.\n")
    found = problems_of(content_dir)
    assert "content/sv/named.md:2: id 'other-name' does not match the file name 'named'" in found
    assert "content/sv/no-title.md:1: title missing" in found


def test_missing_front_matter_and_empty_body(content_dir, write_article):
    write_article("da", "bare", raw="Just text, no front matter.\n")
    write_article("da", "empty", raw="---\ntitle: Tom\n---\n\n")
    found = problems_of(content_dir)
    assert found[0].startswith("content/da/bare.md:1: front matter missing")
    assert found[1] == "content/da/empty.md:4: the article has no body"


def test_duplicate_questions_within_and_across_articles(content_dir, write_article):
    write_article(
        "nl",
        "a",
        raw="---\ntitle: Waar is mijn pakket?\nquestions:\n  - Wanneer komt het?\n"
        "  - wanneer komt het\n---\nTekst.\n",
    )
    write_article(
        "nl", "b", raw="---\ntitle: Track\nquestions:\n  - Waar is mijn pakket?\n---\nTekst.\n"
    )
    found = problems_of(content_dir)
    assert (
        "content/nl/a.md:5: duplicate question 'wanneer komt het': also earlier in this article"
        in found
    )
    assert "content/nl/b.md:4: duplicate question 'Waar is mijn pakket?': also in 'a'" in found
    assert len(load_content(content_dir, VOCABULARY).articles["nl"]) == 2


def test_dangling_link_reported_and_article_still_served(content_dir, write_article):
    write_article("pl", "target", title="Cel", body="Tekst.")
    write_article(
        "pl",
        "source",
        raw="---\ntitle: Źródło\n---\nZobacz [cel](target.md).\n\nI [brak](missing.md#sekcja).\n",
    )
    content = load_content(content_dir, VOCABULARY)
    assert [str(p) for p in content.problems] == [
        "content/pl/source.md:6: link to missing.md: no such article in 'pl'"
    ]
    html = content.get("pl", "source").html
    assert '<a href="/pl/help/target"' in html
    assert "missing.md" not in html and ">brak</a>" in html


def test_markdown_is_sanitised(content_dir, write_article):
    body = (
        "Hello <script>alert('x')</script> **bold**\n\n"
        '<img src="x" onerror="alert(1)"> <a href="/x" onclick="steal()">link</a>\n\n'
        "[click](javascript:alert(document.cookie)) [mail](mailto:help@example.com)\n\n"
        '<iframe src="https://evil.example"></iframe><div style="color:red">styled</div>'
    )
    write_article("en", "hostile", title="Hostile", body=body)
    html = load_content(content_dir, VOCABULARY).get("en", "hostile").html
    lowered = html.lower()
    for forbidden in (
        "<script",
        "alert('x')",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "style=",
        "<img",
    ):
        assert forbidden not in lowered, forbidden
    assert "<strong>bold</strong>" in html
    assert 'href="mailto:help@example.com"' in html


def test_check_command_reports_and_exits_1(content_dir, write_article, tmp_path):
    write_article("sv", "good", title="Bra", body="Text.")
    write_article("sv", "bad", raw="---\ntitle: Dålig\ncontexts: [nowhere]\n---\nText.\n")
    env_cmd = [sys.executable, "-m", "faq_engine", "check", "--content", str(content_dir)]
    result = subprocess.run(
        env_cmd, capture_output=True, text=True, cwd=tmp_path, env=_env(tmp_path)
    )
    assert result.returncode == 1
    assert "content/sv/bad.md:3: unknown context 'nowhere'" in result.stdout
    (content_dir / "sv" / "bad.md").unlink()
    result = subprocess.run(
        env_cmd, capture_output=True, text=True, cwd=tmp_path, env=_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    return {**os.environ, "FAQ_INSTANCE_DIR": str(tmp_path / "instance")}


def test_broken_article_not_served_others_are(make_app, write_article):
    write_article("sv", "good", title="Hur lång tid tar leveransen?", body="Tre dagar.")
    write_article("sv", "bad", raw="---\ntitle: [unclosed\n---\nText.\n")
    client = make_app().test_client()
    assert client.get("/api/v1/articles/good?locale=sv").status_code == 200
    assert client.get("/api/v1/articles/bad?locale=sv").status_code == 404
    answers = client.get("/api/v1/answers?locale=sv&q=leveransen").json["answers"]
    assert [a["id"] for a in answers] == ["good"]
