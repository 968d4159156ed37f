"""Query → ranked answers."""

from .answers import Sources, rank
from .corpus import Corpus
from .searcher import LocaleIndex

__all__ = ["Corpus", "LocaleIndex", "Sources", "rank"]
