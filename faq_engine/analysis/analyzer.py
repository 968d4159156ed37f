"""One analysis per locale, used both when indexing and when reading a query."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

WORD = re.compile(r"\w+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


def without_addresses(text: str) -> str:
    """``text`` without e-mail and web addresses: shoppers paste them into questions, and
    their pieces ("anna", "example", "se") are not words the question is about."""
    return URL.sub(" ", EMAIL.sub(" ", text))


@dataclass(frozen=True)
class Word:
    """One word of a text: what was typed, its base forms, and its parts if a compound."""

    surface: str  # case-folded, as typed
    forms: frozenset[str]  # whole-word terms: lemma and/or stem, diacritics folded
    parts: tuple[frozenset[str], ...] = ()  # the forms of each compound part

    @property
    def terms(self) -> frozenset[str]:
        return self.forms.union(*self.parts)


@dataclass(eq=False)
class Analyzer:
    """Turns text of one locale into search terms.

    Steps: tokenise, case-fold, drop stop words, reduce to base forms (each function in
    ``normalizers`` gives one, e.g. a lemma and a stem), fold diacritics, and split compounds
    into known parts (keeping the whole word too). Each step is a plain function, so a
    locale's analysis is one replaceable unit.
    """

    locale: str
    normalizers: Sequence[Callable[[str], str]]
    fold: Callable[[str], str]
    stopwords: frozenset[str] = frozenset()
    split: Callable[[str], tuple[str, ...]] | None = None
    name: str = ""
    # Makes ``split`` from a test of whether a part is a known word (see with_lexicon).
    splitter: Callable[[Callable[[str], bool]], Callable[[str], tuple[str, ...]]] | None = None
    _cache: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.stopwords = frozenset(self.stopwords | {self.fold(w) for w in self.stopwords})
        self._cache = lru_cache(maxsize=131072)(self._word)

    def forms(self, lowered: str) -> frozenset[str]:
        return frozenset(self.fold(normalize(lowered)) for normalize in self.normalizers)

    def _word(self, token: str) -> Word | None:
        lowered = token.casefold()
        if lowered in self.stopwords or self.fold(lowered) in self.stopwords:
            return None
        forms = self.forms(lowered)
        parts: tuple[frozenset[str], ...] = ()
        if self.split is not None:
            pieces = self.split(lowered)
            if len(pieces) > 1:
                parts = tuple(self.forms(piece) for piece in pieces)
        return Word(lowered, forms, parts)

    def word(self, token: str) -> Word | None:
        """The analysis of one token; None for a stop word."""
        result: Word | None = self._cache(token)
        return result

    def words(self, text: str) -> list[Word]:
        return [w for w in map(self.word, WORD.findall(text)) if w is not None]

    def wording(self, text: str) -> frozenset[str]:
        """Every word of a text as a term, stop words included (marked ``~``): how a short
        question is put ("hur gör jag", "hoe doe ik dat") when it has no other words. A
        compound brings its parts too: "cadeaubonsaldo" meets a question about the "saldo"
        of a "cadeaubon"."""
        found = set()
        for token in WORD.findall(text):
            word = self.word(token)
            if word is None:
                found.add("~" + self.fold(token.casefold()))
            else:
                found |= word.terms
        return frozenset(found)

    def terms(self, text: str) -> list[str]:
        """Every index term of a text, in order (a word's forms, then its parts)."""
        return [term for word in self.words(text) for term in sorted(word.terms)]

    def with_lexicon(self, terms: frozenset[str]) -> Analyzer:
        """This analysis, splitting compounds into parts whose base forms are in ``terms``.

        ``terms`` is the locale's vocabulary (the base forms of its articles' words):
        "returfrakt" splits into "retur" and "frakt" when both occur in the articles, in any
        inflection.
        """
        if self.splitter is None:
            return self
        forms = self.forms

        # Splitting tries every cut of a word, and the same heads and tails come back in
        # word after word: each is looked up once.
        @lru_cache(maxsize=65536)
        def known(part: str) -> bool:
            return not forms(part).isdisjoint(terms)

        return replace(self, split=self.splitter(known))
