"""One analysis per locale, used both when indexing and when reading a query."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer as WhooshAnalyzer
from whoosh.analysis import Filter, RegexTokenizer, Token

WORD = re.compile(r"\w+")


@dataclass(eq=False)
class Analyzer:
    """Turns text of one locale into search terms.

    Steps: tokenise, case-fold, drop stop words, stem, fold diacritics. Each step is a
    plain function, so a locale's analysis can be swapped whole.
    """

    locale: str
    stem: Callable[[str], str]
    fold: Callable[[str], str]
    stopwords: frozenset[str] = frozenset()
    name: str = ""
    _cache: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.stopwords = frozenset(self.stopwords | {self.fold(w) for w in self.stopwords})
        self._cache = lru_cache(maxsize=65536)(self._word_terms)

    def _word_terms(self, word: str) -> tuple[str, ...]:
        lowered = word.casefold()
        if lowered in self.stopwords or self.fold(lowered) in self.stopwords:
            return ()
        return (self.fold(self.stem(lowered)),)

    def word_terms(self, word: str) -> tuple[str, ...]:
        """The terms one word contributes (none for a stop word)."""
        result: tuple[str, ...] = self._cache(word)
        return result

    def terms(self, text: str) -> list[str]:
        """The terms of a text in order, repeats kept."""
        return [term for word in WORD.findall(text) for term in self.word_terms(word)]

    def whoosh(self) -> WhooshAnalyzer:
        """The same analysis as a Whoosh analyzer for the index schema."""
        return RegexTokenizer(WORD) | _TermsFilter(self)


class _TermsFilter(Filter):  # type: ignore[misc]
    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TermsFilter) and other.analyzer.locale == self.analyzer.locale

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Whoosh pickles the schema into the index: store the locale, not the functions.
        return _filter_for, (self.analyzer.locale,)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            for term in self.analyzer.word_terms(token.text):
                token.text = term
                yield token


def _filter_for(locale: str) -> _TermsFilter:
    from .languages import analyzer_for

    return _TermsFilter(analyzer_for(locale))
