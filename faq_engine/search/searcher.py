"""A locale's open index: the Whoosh searcher for candidates, the corpus for scoring."""

from __future__ import annotations

import threading

from whoosh.index import Index
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from .corpus import Corpus

SEARCH_FIELD = "all"  # title, questions, tags and body together
COMMON_SHARE = 0.1
COMMON_FLOOR = 100  # small collections keep every term


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
        known = [term for term in terms if term in self.corpus.vocabulary]
        if not known:
            return {}
        # A term in a large share of a big collection finds everything and decides nothing;
        # when rarer terms are there, they alone pick the candidates (scoring still sees all).
        common = max(COMMON_FLOOR, COMMON_SHARE * self.corpus.size)
        rare = [term for term in known if self.corpus.document_frequency(term) <= common]
        known = rare or known
        query = Or([Term(SEARCH_FIELD, term) for term in known])
        # Whoosh's default pre-loads every match into arrays sized by the whole index; a
        # tree of union matchers is several times faster for a handful of terms.
        query.matcher_type = Or.DEFAULT_MATCHER
        hits = self._searcher().search(query, limit=limit)
        return {hit["id"]: float(hit.score) for hit in hits}

    def close(self) -> None:
        self.index.close()
