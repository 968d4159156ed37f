"""A locale's open index: BM25F candidates from the Whoosh postings, the corpus for scoring."""

from __future__ import annotations

import heapq
from array import array

from whoosh.index import Index
from whoosh.scoring import bm25

from .corpus import Corpus

SEARCH_FIELD = "all"  # title, questions, tags and body together
COMMON_SHARE = 0.1
COMMON_FLOOR = 100  # small collections keep every term
# Articles scored in full per query: the BM25F top 15 and the page's own articles. On the
# development and held-out sets 15 gives the same figures as 40 (12 already loses one) and the
# full features per candidate are most of a request's cost.
CANDIDATES = 15


class Postings:
    """Every term's BM25F score in every article of the ``all`` field, read once at open.

    Whoosh computes each score (its own BM25F over its stored term frequencies and field
    lengths); summing them per query is then a few array walks instead of a tree of Python
    matchers per request, which is what keeps a query fast on thousands of articles. The
    object is read-only after construction, so every thread shares it.
    """

    def __init__(self, index: Index) -> None:
        with index.searcher() as searcher:
            reader = searcher.reader()
            self.ids = [""] * reader.doc_count_all()
            for docnum, stored in reader.iter_docs():
                self.ids[docnum] = stored["id"]
            self.lists: dict[str, tuple[array[int], array[float]]] = {}
            if SEARCH_FIELD not in reader.indexed_field_names():
                return
            # Whoosh's BM25F scorer, term by term, with its own statistics: the same scores
            # as its matchers give, without building a scorer and a matcher tree per term.
            weighting = searcher.weighting
            b, k1 = weighting.B, weighting.K1
            average = searcher.avg_field_length(SEARCH_FIELD) or 1
            count = len(self.ids)
            lengths = [searcher.doc_field_length(n, SEARCH_FIELD, 1) for n in range(count)]
            for raw in reader.lexicon(SEARCH_FIELD):
                term = raw.decode("utf-8")
                idf = searcher.idf(SEARCH_FIELD, term)
                docs: array[int] = array("i")
                scores: array[float] = array("d")
                for docnum, weight in reader.postings(SEARCH_FIELD, term).items_as("weight"):
                    docs.append(docnum)
                    scores.append(bm25(idf, weight, lengths[docnum], average, b, k1))
                self.lists[term] = (docs, scores)

    def top(self, terms: list[str], limit: int) -> dict[str, float]:
        """Article id → summed score of the best ``limit`` articles holding any of ``terms``."""
        totals: dict[int, float] = {}
        get = totals.get
        for term in terms:
            docs, scores = self.lists.get(term, ((), ()))
            for docnum, score in zip(docs, scores, strict=True):
                totals[docnum] = get(docnum, 0.0) + score
        best = heapq.nlargest(limit, totals.items(), key=lambda item: (item[1], -item[0]))
        return {self.ids[docnum]: score for docnum, score in best}


class LocaleIndex:
    def __init__(self, locale: str, index: Index, corpus: Corpus, generation: str) -> None:
        self.locale = locale
        self.index = index
        self.corpus = corpus
        self.generation = generation
        self.postings = Postings(index)

    def candidates(self, terms: list[str], limit: int = CANDIDATES) -> dict[str, float]:
        """Article id → BM25F score of the best ``limit`` articles sharing a term."""
        known = [term for term in terms if term in self.corpus.vocabulary]
        if not known:
            return {}
        # A term in a large share of a big collection finds everything and decides nothing;
        # when rarer terms are there, they alone pick the candidates (scoring still sees all).
        common = max(COMMON_FLOOR, COMMON_SHARE * self.corpus.size)
        rare = [term for term in known if self.corpus.document_frequency(term) <= common]
        return self.postings.top(rare or known, limit)

    def close(self) -> None:
        self.index.close()
