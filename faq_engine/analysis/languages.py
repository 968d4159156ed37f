"""The analysis of each locale: ``analyzer_for(locale)``.

A locale's analysis is named by a recipe: ``snowball`` (Snowball stemmer from PyStemmer),
``lemma`` (simplemma's dictionary lemmatiser), ``lemma+snowball`` (both forms of each word)
and ``plain`` (folding only); ``+split`` adds compound splitting. ``DEFAULT_RECIPES`` holds
the ones ``faq-engine eval`` measured best; ``FAQ_ANALYSIS`` (``pl=lemma,sv=snowball``) picks
others for a comparison.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import simplemma
import Stemmer

from .analyzer import Analyzer
from .compounds import splitter
from .folding import folder_for

DATA = Path(__file__).parent / "data"
SNOWBALL = {"sv": "swedish", "da": "danish", "nl": "dutch", "pl": "polish", "en": "english"}
DEFAULT_RECIPES = {
    "sv": "lemma+snowball+split",
    "da": "lemma+snowball+split",
    "nl": "lemma+snowball+split",
    "pl": "lemma+snowball",
    "en": "snowball",
}
SUPPORTED = tuple(SNOWBALL)


def read_words(name: str) -> frozenset[str]:
    """A word list shipped with the package: one word a line, '#' starts a comment."""
    path = DATA / name
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def recipe_for(locale: str) -> str:
    chosen = dict(
        item.split("=", 1) for item in os.environ.get("FAQ_ANALYSIS", "").split(",") if "=" in item
    )
    return chosen.get(locale) or DEFAULT_RECIPES.get(locale, "plain")


def _snowball(locale: str) -> Callable[[str], str]:
    stemmer = Stemmer.Stemmer(SNOWBALL[locale])
    return stemmer.stemWord  # type: ignore[no-any-return]


def _lemma(locale: str) -> Callable[[str], str]:
    def lemmatize(word: str) -> str:
        return str(simplemma.lemmatize(word, lang=locale)).casefold()

    return lemmatize


@cache
def analyzer_for(locale: str, recipe: str | None = None) -> Analyzer:
    """The analysis for ``locale``; a locale without one gets language-neutral folding."""
    recipe = recipe or recipe_for(locale)
    fold = folder_for(locale)
    stopwords = read_words(f"stopwords-{locale}.txt")
    base, _, extra = recipe.partition("+split")
    normalizers: list[Callable[[str], str]]
    if locale not in SUPPORTED or base == "plain":
        normalizers = [str]
    elif base == "snowball":
        normalizers = [_snowball(locale)]
    elif base == "lemma":
        normalizers = [_lemma(locale)]
    elif base == "lemma+snowball":
        stem, lemma = _snowball(locale), _lemma(locale)
        # The stem of the folded word too: a word typed without diacritics ("odebrac") is
        # unknown to the lemmatiser and stems differently, but meets "odebrać" here.
        normalizers = [lambda w: stem(lemma(w)), stem, lambda w: stem(fold(w))]
    else:
        raise ValueError(f"unknown analysis recipe {recipe!r} for {locale!r}")
    split_with = partial(splitter, locale) if "+split" in recipe else None
    return Analyzer(
        locale, normalizers, fold, stopwords, name=f"{locale}:{recipe}", splitter=split_with
    )
