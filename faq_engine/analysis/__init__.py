"""Per-language text analysis: one replaceable unit per locale."""

from .analyzer import Analyzer, Word
from .languages import analyzer_for

__all__ = ["Analyzer", "Word", "analyzer_for"]
