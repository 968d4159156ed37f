"""Per-language text analysis: one replaceable unit per locale."""

from .analyzer import Analyzer
from .languages import analyzer_for

__all__ = ["Analyzer", "analyzer_for"]
