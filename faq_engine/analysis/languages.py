"""The analysis of each locale: ``analyzer_for(locale)``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from whoosh.lang import has_stemmer, stemmer_for_language, stopwords_for_language

from .analyzer import Analyzer
from .folding import folder_for

# Snowball has no Polish; until a morphological analyser is plugged in, a Polish word is
# reduced to a fixed-length prefix, which conflates most inflected forms of one lemma.
DATA = Path(__file__).parent / "data"


def read_words(name: str) -> frozenset[str]:
    """A word list shipped with the package: one word a line, '#' starts a comment."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _prefix_stem(length: int):  # type: ignore[no-untyped-def]
    def stem(word: str) -> str:
        return word[:length]

    return stem


def _identity(word: str) -> str:
    return word


SUPPORTED = ("sv", "da", "nl", "pl", "en")


@cache
def analyzer_for(locale: str) -> Analyzer:
    """The analysis for ``locale``; any other locale gets language-neutral analysis."""
    fold = folder_for(locale)
    if locale == "pl":
        return Analyzer(
            locale, _prefix_stem(6), fold, read_words("stopwords-pl.txt"), name="pl-prefix6"
        )
    if has_stemmer(locale):
        stopwords = frozenset(stopwords_for_language(locale))
        return Analyzer(locale, stemmer_for_language(locale), fold, stopwords, name="snowball")
    return Analyzer(locale, _identity, fold, frozenset(), name="plain")
