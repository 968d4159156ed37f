"""What ranking needs of one locale's articles, analysed once per content version."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ..analysis import Analyzer
from ..models import Article


@dataclass(frozen=True)
class ArticleTerms:
    article: Article
    terms: frozenset[str]  # every term of title, questions, tags and body
    phrasings: tuple[frozenset[str], ...]  # the title and each question, analysed
    phrasing_weights: tuple[float, ...]  # the summed idf of each phrasing's terms


class Corpus:
    """The analysed articles of one locale and their term statistics."""

    def __init__(self, analyzer: Analyzer, articles: list[Article]) -> None:
        self.analyzer = analyzer
        analysed = []
        document_frequency: Counter[str] = Counter()
        for article in articles:
            phrasings = tuple(
                frozenset(analyzer.terms(text)) for text in (article.title, *article.questions)
            )
            terms = frozenset().union(
                *phrasings, analyzer.terms(" ".join(article.tags)), analyzer.terms(article.text)
            )
            analysed.append((article, terms, phrasings))
            document_frequency.update(terms)
        self.size = len(analysed)
        self._df = document_frequency
        self.vocabulary = frozenset(document_frequency)
        self.entries: dict[str, ArticleTerms] = {
            article.id: ArticleTerms(
                article, terms, phrasings, tuple(sum(map(self.idf, p)) for p in phrasings)
            )
            for article, terms, phrasings in analysed
        }

    def idf(self, term: str) -> float:
        """BM25's idf; a term no article has gets the highest weight."""
        df = self._df.get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))
