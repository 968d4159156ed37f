"""What ranking needs of one locale's articles, analysed once per content version."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from ..analysis import Analyzer, Word
from ..analysis.analyzer import without_addresses
from ..analysis.synonyms import Synonyms
from ..cache import LRU
from ..models import Article
from .spelling import Speller

PART_CREDIT = 0.9  # a compound matched only through its parts counts a little less
BRIDGE_PREFIX = "en:"  # terms of the same article in the fallback language
QUERY_CACHE = 2048  # analysed queries kept per locale and content version
PHRASED = 10  # listed questions an article at which a collection counts as fully phrased


@dataclass(frozen=True)
class Bridge:
    """The same articles in the fallback language (English), for words shoppers mix in.

    "payment failed", "tracking", "carriers": a word the locale's articles never use but
    the English article with the same id does, matches that article through its English
    terms. Collections without an English version simply have no bridge.
    """

    analyzer: Analyzer
    terms: dict[str, frozenset[str]]  # article id -> its English terms, prefixed

    @classmethod
    def of(cls, analyzer: Analyzer, articles: dict[str, Article]) -> Bridge:
        """Analyses the English articles once; every locale's corpus shares the result."""
        return cls(
            analyzer,
            {
                article_id: frozenset(
                    BRIDGE_PREFIX + term
                    for text in (a.title, *a.questions, " ".join(a.tags), a.text)
                    for word in analyzer.words(text)
                    for term in word.forms
                )
                for article_id, a in articles.items()
            },
        )


@dataclass(frozen=True)
class ArticleTerms:
    article: Article
    terms: frozenset[str]  # every term of title, questions, tags and body
    phrasing_weights: tuple[float, ...]  # the summed word weight of the title and each question
    head: frozenset[str] = frozenset()  # the terms of the title, questions and tags
    # Which of the title and questions (0: the title) hold each term, analysed
    # (``phrasing_index``) and with every word, stop words too (``wording_index``, see
    # ``Analyzer.wording``), and how many words each has: overlaps with a query are counted
    # from the query's few terms instead of intersecting every phrasing.
    phrasing_index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    wording_index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    wording_sizes: tuple[int, ...] = ()

    @classmethod
    def of(
        cls,
        article: Article,
        terms: frozenset[str],
        phrasings: tuple[frozenset[str], ...],
        phrasing_weights: tuple[float, ...],
        head: frozenset[str],
        wordings: tuple[frozenset[str], ...],
    ) -> ArticleTerms:
        return cls(
            article,
            terms,
            phrasing_weights,
            head,
            positions(phrasings),
            positions(wordings),
            tuple(len(w) for w in wordings),
        )


class Corpus:
    """The analysed articles of one locale and their term statistics."""

    def __init__(
        self,
        analyzer: Analyzer,
        articles: list[Article],
        synonyms: list[tuple[str, ...]] | None = None,
        bridge: Bridge | None = None,
        previous: Corpus | None = None,
    ) -> None:
        self.lexicon = lexicon(analyzer, articles)
        # The analysis with compound splitting keeps what it worked out per word; a new
        # version of the articles with the same lexicon (most edits) keeps it too.
        self.analyzer: Analyzer
        if previous is not None and previous.lexicon == self.lexicon:
            self.analyzer = previous.analyzer
        else:
            self.analyzer = analyzer.with_lexicon(self.lexicon)
        analyzer = self.analyzer
        self.bridge = bridge
        self.bridged: dict[str, frozenset[str]] = {}
        if bridge is not None:
            own = {article.id for article in articles}
            self.bridged = {k: v for k, v in bridge.terms.items() if k in own}
        self.synonyms = Synonyms.build(analyzer, synonyms or [])
        self._analysed: LRU[tuple[Word, ...]] = LRU(QUERY_CACHE)
        self._worded: LRU[frozenset[str]] = LRU(QUERY_CACHE)
        analysed = []
        document_frequency: Counter[str] = Counter()
        surfaces: Counter[str] = Counter()
        for article in articles:
            texts = (article.title, *article.questions, " ".join(article.tags), article.text)
            words = [analyzer.words(text) for text in texts]
            phrasings = words[: 1 + len(article.questions)]
            head = frozenset().union(*(w.terms for ws in words[:-1] for w in ws))
            terms = head.union(*(w.terms for w in words[-1]))
            terms |= self.bridged.get(article.id, frozenset())
            analysed.append((article, terms, phrasings, head))
            document_frequency.update(terms)
            surfaces.update(w.surface for ws in words for w in ws)
        self.size = len(analysed)
        # How far the collection lists questions beside its titles, up to PHRASED questions an
        # article: a collection with many says much by a query matching none of them; one of
        # titles and bodies only (or a question or two) says little, and the answer-or-not
        # decision reads phrasing overlaps accordingly.
        listed = sum(len(a.questions) for a in articles)
        self.phrased = min(1.0, listed / (PHRASED * len(articles))) if articles else 0.0
        self._df = document_frequency
        self.vocabulary = frozenset(document_frequency)
        self.speller = Speller(surfaces, analyzer.fold)
        self.entries: dict[str, ArticleTerms] = {
            article.id: ArticleTerms.of(
                article,
                terms,
                tuple(frozenset().union(*(w.terms for w in p)) for p in phrasings),
                tuple(sum(self.weight(w) for w in p) for p in phrasings),
                head,
                tuple(analyzer.wording(t) for t in (article.title, *article.questions)),
            )
            for article, terms, phrasings, head in analysed
        }

    def wording(self, text: str) -> frozenset[str]:
        """The query's words, stop words included (see ``Analyzer.wording``), kept."""
        return self._worded.get(text, lambda: self.analyzer.wording(text))

    def query_words(self, text: str) -> list[Word]:
        """The distinct words of a query, each with its synonyms' forms.

        A word no article of the locale knows is read as English when the bridge knows it.
        Shoppers ask the same things again and again: the analysis of recent queries is kept
        (with the corpus, so a reindex starts afresh).
        """
        return list(self._analysed.get(text, lambda: self._query_words(text)))

    def _query_words(self, text: str) -> tuple[Word, ...]:
        words = {w.surface: w for w in self.synonyms.expand(without_addresses(text))}
        if self.bridged:
            for surface, word in words.items():
                if not self.knows(word) and " " not in surface:
                    english = self.bridge.analyzer.word(surface) if self.bridge else None
                    if english is not None:
                        forms = frozenset(BRIDGE_PREFIX + f for f in english.forms)
                        if forms & self.vocabulary:
                            words[surface] = Word(surface, forms)
        return tuple(words.values())

    def document_frequency(self, term: str) -> int:
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        """BM25's idf; a term no article has gets the highest weight."""
        df = self._df.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def weight(self, word: Word) -> float:
        """How much a word says: the idf of its most common form (synonyms included)."""
        return min(self.idf(term) for term in word.forms)

    def knows(self, word: Word) -> bool:
        """Does any article contain the word, whole or through all its parts?"""
        if word.forms & self.vocabulary:
            return True
        return bool(word.parts) and all(part & self.vocabulary for part in word.parts)


def positions(sets: tuple[frozenset[str], ...]) -> dict[str, tuple[int, ...]]:
    """Term → the positions in ``sets`` of the sets that hold it."""
    index: dict[str, list[int]] = {}
    for i, terms in enumerate(sets):
        for term in terms:
            index.setdefault(term, []).append(i)
    return {term: tuple(found) for term, found in index.items()}


def lexicon(analyzer: Analyzer, articles: list[Article]) -> frozenset[str]:
    """The base forms of every word of the articles: what compound parts must match."""
    terms: set[str] = set()
    for article in articles:
        for text in (article.title, *article.questions, *article.tags, article.text):
            for word in analyzer.words(text):
                if len(word.surface) >= 3 and word.surface.isalpha():
                    terms.update(word.forms)
    return frozenset(terms)


def matched(word: Word, terms: frozenset[str]) -> float:
    """How far ``terms`` contain ``word``: 1 whole, a share of its parts, or 0."""
    if not word.forms.isdisjoint(terms):
        return 1.0
    if word.parts:
        found = 0
        for part in word.parts:
            if not part.isdisjoint(terms):
                found += 1
        return PART_CREDIT * found / len(word.parts)
    return 0.0
