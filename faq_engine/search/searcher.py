"""A locale's open index: the Whoosh searcher for candidates, the corpus for scoring."""

from __future__ import annotations

import threading

from whoosh.index import Index
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from .corpus import Corpus

TEXT_FIELDS = ("title", "questions", "tags", "body")


class LocaleIndex:
    def __init__(self, locale: str, index: Index, corpus: Corpus, generation: str) -> None:
        self.locale = locale
        self.index = index
        self.corpus = corpus
        self.generation = generation
        self._local = threading.local()

    def _searcher(self) -> Searcher:
        # A Whoosh searcher is not safe to share between threads: one per thread, reused.
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.index.searcher()
        return searcher

    def candidates(self, terms: list[str], limit: int = 40) -> dict[str, float]:
        """Article id → BM25F score of the best ``limit`` articles sharing a term."""
        if not terms:
            return {}
        query = Or([Term(field, term) for term in terms for field in TEXT_FIELDS])
        hits = self._searcher().search(query, limit=limit)
        return {hit["id"]: float(hit.score) for hit in hits}

    def close(self) -> None:
        self.index.close()
