"""Typo tolerance: a word no article knows is matched to the nearest word the articles use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

MIN_LENGTH = 4  # a shorter typed word has too many neighbours to guess from
MIN_KNOWN = 3  # the shortest article word offered as a correction


def max_edits(length: int) -> int:
    return 1 if length <= 6 else 2


class Speller:
    """Suggests, for a misspelt word, the closest word of the locale's articles."""

    def __init__(self, words: dict[str, int], fold: Callable[[str], str]) -> None:
        self.fold = fold
        self.frequency: dict[str, int] = {}
        self.original: dict[str, str] = {}
        for word, count in words.items():
            if len(word) < MIN_KNOWN or not word.isalpha():
                continue
            folded = fold(word)
            self.frequency[folded] = self.frequency.get(folded, 0) + count
            if count >= self.frequency[folded] - count:
                self.original[folded] = word
        by_length: dict[int, list[str]] = defaultdict(list)
        for folded in self.frequency:
            by_length[len(folded)].append(folded)
        self.by_length = dict(by_length)
        self.suggest = lru_cache(maxsize=16384)(self._suggest)

    def _suggest(self, word: str) -> str | None:
        folded = self.fold(word)
        if len(folded) < MIN_LENGTH or not folded.isalpha() or folded in self.frequency:
            return None
        edits = max_edits(len(folded))
        pool = [
            w
            for n in range(len(folded) - edits, len(folded) + edits + 1)
            for w in self.by_length.get(n, ())
        ]
        found = process.extract(
            folded, pool, scorer=DamerauLevenshtein.distance, score_cutoff=edits, limit=8
        )
        if not found:
            return None
        # The fewest edits; among equals the word the articles use most.
        best = min(found, key=lambda hit: (hit[1], -self.frequency[hit[0]], hit[0]))
        return self.original[best[0]]
