"""The Whoosh index of one locale: schema, atomic build, staleness, reader.

Layout under the index folder::

    <locale>/current.json        {"generation": "...", "fingerprint": "..."}
    <locale>/<generation>/       the Whoosh files of one complete build

A build writes a new generation folder, then replaces ``current.json`` with ``os.replace``;
a reader therefore sees the old index or the new one, never half of one.
"""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.index import Index

from .analysis import Analyzer, analyzer_for
from .content.publish import write_atomically
from .models import Article

SCHEMA_VERSION = "7"
POINTER = "current.json"


def schema() -> Schema:
    # Text reaches Whoosh already analysed (terms separated by spaces): the locale's
    # analysis needs the locale's vocabulary to split compounds, which Whoosh cannot give it.
    # Title, questions, tags and body go into one field: one posting list per query term
    # finds candidates, and ranking scores the fields from the corpus, so separate fields
    # would only double the time a build takes.
    return Schema(
        id=ID(stored=True, unique=True),
        all=TEXT(analyzer=SpaceSeparatedTokenizer()),
        contexts=KEYWORD(commas=True, scorable=False, stored=True),
        categories=KEYWORD(commas=True, scorable=False, stored=True),
    )


def fingerprint(
    locale: str, articles: Iterable[Article], bridged: Mapping[str, Iterable[str]] | None = None
) -> str:
    """Changes whenever the indexed text or the analysis of the locale changes."""
    digest = hashlib.sha256()
    analyzer = analyzer_for(locale)
    digest.update(f"{SCHEMA_VERSION}|{analyzer.name}|{locale}".encode())
    digest.update(" ".join(sorted(analyzer.stopwords)).encode())
    for article_id, terms in sorted((bridged or {}).items()):
        digest.update(f"{article_id}:{' '.join(sorted(terms))}".encode())
    for article in sorted(articles, key=lambda a: a.id):
        record = [
            article.id,
            article.title,
            article.questions,
            article.tags,
            article.text,
            article.contexts,
            article.categories,
        ]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
    return digest.hexdigest()


def current(folder: Path) -> dict[str, str] | None:
    """The pointer of a locale's index folder, or None when there is no complete build."""
    try:
        pointer = json.loads((folder / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(pointer, dict) or not (folder / str(pointer.get("generation"))).is_dir():
        return None
    return pointer


def build(
    folder: Path,
    locale: str,
    articles: list[Article],
    analyzer: Analyzer,
    bridged: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, str]:
    """Write a complete new generation of the index, then swap the pointer to it.

    ``bridged`` holds, per article id, terms of the same article in the fallback language
    (see ``Corpus``); they are searchable in the ``all`` field only.
    """
    folder.mkdir(parents=True, exist_ok=True)
    bridged = bridged or {}
    stamp = fingerprint(locale, articles, bridged)
    generation = tempfile.mkdtemp(prefix=f"gen-{int(time.time())}-", dir=folder)
    ix = whoosh_index.create_in(generation, schema())
    writer = ix.writer()
    for article in articles:
        texts = (article.title, "\n".join(article.questions), " ".join(article.tags), article.text)
        terms = [term for text in texts for term in analyzer.terms(text)]
        writer.add_document(
            id=article.id,
            all=" ".join(terms + sorted(bridged.get(article.id, ()))),
            contexts=",".join(article.contexts),
            categories=",".join(article.categories),
        )
    writer.commit()
    ix.close()
    pointer = {"generation": Path(generation).name, "fingerprint": stamp}
    write_atomically(folder / POINTER, json.dumps(pointer))
    _remove_old_generations(folder, keep=pointer["generation"])
    return pointer


def open_index(folder: Path) -> tuple[Index, dict[str, str]] | None:
    """Open the current generation, or None when it is missing or unreadable."""
    pointer = current(folder)
    if pointer is None:
        return None
    # Whoosh leaves the file of a corrupt table of contents open; it is closed when the
    # failed attempt is dropped, without a warning about what we cannot change.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(folder / pointer["generation"])), pointer
        except Exception:  # noqa: BLE001 - any unreadable index is rebuilt by the caller
            gc.collect()
    return None


def _remove_old_generations(folder: Path, keep: str) -> None:
    """Drop all generations but the current one and the one it replaced.

    Another process may still be reading the one just replaced, so it stays until the next
    build.
    """
    older = sorted(
        (
            e
            for e in folder.iterdir()
            if e.is_dir() and e.name.startswith("gen-") and e.name != keep
        ),
        key=lambda e: e.stat().st_mtime,
    )
    for entry in older[:-1]:
        shutil.rmtree(entry, ignore_errors=True)
