"""The analysis of each locale: ``analyzer_for(locale)``."""

from __future__ import annotations

from functools import cache

from whoosh.lang import has_stemmer, stemmer_for_language, stopwords_for_language

from .analyzer import Analyzer
from .folding import folder_for

# Snowball has no Polish; until a morphological analyser is plugged in, a Polish word is
# reduced to a fixed-length prefix, which conflates most inflected forms of one lemma.
POLISH_STOPWORDS = frozenset(
    """a aby ale bo by być był była było czy dla do gdy gdzie i ich ile im ja jak jaki jakie
    jest jestem jeśli już ją je jego jej kiedy kto która które który lub ma mam mi mnie moje
    może można mój na nad nie nim niż o od po pod przez przy się są ta tak te tego tej ten
    to tu ty u w we więc wszystko z za ze że żeby co coś mój moja moje moim mojego mojej""".split()
)


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
        return Analyzer(locale, _prefix_stem(6), fold, POLISH_STOPWORDS, name="pl-prefix6")
    if has_stemmer(locale):
        stopwords = frozenset(stopwords_for_language(locale))
        return Analyzer(locale, stemmer_for_language(locale), fold, stopwords, name="snowball")
    return Analyzer(locale, _identity, fold, frozenset(), name="plain")
