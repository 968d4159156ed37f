"""The index: built aside and swapped, rebuilt when content changes or the index is broken."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from faq_engine.engine import Engine
from faq_engine.models import AnswerRequest
from tests.test_content import VOCABULARY


def engine_for(content_dir, tmp_path) -> Engine:
    return Engine(content_dir, tmp_path / "index", VOCABULARY)


def top(engine: Engine, locale: str, q: str) -> list[str]:
    return [a.article.id for a in engine.answers(AnswerRequest(locale, q)).answers]


def test_build_writes_a_generation_and_a_pointer(content_dir, write_article, tmp_path):
    write_article("sv", "delivery-time", title="Hur lång tid tar leveransen?", body="Tre dagar.")
    engine_for(content_dir, tmp_path)
    folder = tmp_path / "index" / "sv"
    pointer = json.loads((folder / "current.json").read_text())
    assert (folder / pointer["generation"]).is_dir()
    assert len(pointer["fingerprint"]) == 64


def test_unchanged_content_reuses_the_index(content_dir, write_article, tmp_path):
    write_article("sv", "a", title="Fråga", body="Svar.")
    first = engine_for(content_dir, tmp_path)
    generation = first._snapshot.indexes["sv"].generation
    second = engine_for(content_dir, tmp_path)
    assert second._snapshot.indexes["sv"].generation == generation


def test_changed_content_is_reindexed(content_dir, write_article, tmp_path):
    write_article("sv", "a", title="Hur lång tid tar leveransen?", body="Tre dagar.")
    engine = engine_for(content_dir, tmp_path)
    assert top(engine, "sv", "returnera") == []
    write_article("sv", "b", title="Hur returnerar jag?", body="Registrera returen.")
    engine.reload()
    assert top(engine, "sv", "returnera") == ["b"]
    # A fresh process sees the change too: the stale index is rebuilt at start.
    write_article("sv", "c", title="Kan jag betala med Swish?", body="Ja, Swish går bra.")
    assert top(engine_for(content_dir, tmp_path), "sv", "swish") == ["c"]


def test_corrupted_or_missing_index_is_rebuilt(content_dir, write_article, tmp_path):
    write_article("sv", "a", title="Kan jag betala med Swish?", body="Ja.")
    engine_for(content_dir, tmp_path)
    folder = tmp_path / "index" / "sv"
    pointer = json.loads((folder / "current.json").read_text())
    for entry in (folder / pointer["generation"]).iterdir():
        entry.write_bytes(b"garbage")
    assert top(engine_for(content_dir, tmp_path), "sv", "swish") == ["a"]
    shutil.rmtree(folder)
    assert top(engine_for(content_dir, tmp_path), "sv", "swish") == ["a"]


def test_old_generations_are_cleaned_up(content_dir, write_article, tmp_path):
    write_article("sv", "a", title="Fråga", body="Svar.")
    engine = engine_for(content_dir, tmp_path)
    for n in range(4):
        write_article("sv", f"x{n}", title=f"Fråga {n}", body="Svar.")
        engine.reload()
    generations = [p for p in (tmp_path / "index" / "sv").iterdir() if p.is_dir()]
    assert len(generations) == 2  # the current one and the one it replaced


def test_index_command(content_dir, write_article, tmp_path):
    write_article("da", "a", title="Hvornår kommer min pakke?", body="Om 1-3 dage.")
    env = {**os.environ, "FAQ_INSTANCE_DIR": str(tmp_path / "inst")}
    result = subprocess.run(
        [sys.executable, "-m", "faq_engine", "index", "--force", "--content", str(content_dir)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("da: 1 articles indexed")


def test_postings_sum_whoosh_scores_exactly(content_dir, write_article, tmp_path):
    """Candidates come from postings read out of Whoosh: same articles, same BM25F scores."""
    from whoosh.query import Or, Term

    write_article("sv", "a", title="Kan jag betala med Swish?", body="Swish går bra. Swish!")
    write_article("sv", "b", title="Kan jag betala med faktura?", body="Ja, med Klarna.")
    write_article("sv", "c", title="Hur lång tid tar leveransen?", body="Tre dagar med PostNord.")
    index = engine_for(content_dir, tmp_path)._snapshot.indexes["sv"]
    terms = sorted({t for w in index.corpus.query_words("betala swish klarna") for t in w.terms})
    ours = index.postings.top(terms, limit=10)
    with index.index.searcher() as searcher:
        hits = searcher.search(Or([Term("all", t) for t in terms]), limit=10)
        whoosh = {hit["id"]: hit.score for hit in hits}
    assert ours.keys() == whoosh.keys() == {"a", "b"}
    for article_id, score in whoosh.items():
        assert ours[article_id] == pytest.approx(score)
    assert list(index.postings.top(terms, limit=1)) == [max(whoosh, key=whoosh.__getitem__)]
