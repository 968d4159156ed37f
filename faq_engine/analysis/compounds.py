"""Splitting Swedish, Danish and Dutch compounds into parts the language knows.

"returfrakt" → retur + frakt, "verzendkosten" → verzend + kosten,
"presentkortssaldo" → presentkort + saldo (the linking s dropped).
"""

from __future__ import annotations

from collections.abc import Callable

# Letters that may join two parts of a compound, per language.
LINKS: dict[str, tuple[str, ...]] = {
    "sv": ("s",),
    "da": ("s", "e"),
    "nl": ("s", "en", "e"),
}
MIN_PART = 3
MIN_WORD = 6


def splitter(locale: str, known: Callable[[str], bool]) -> Callable[[str], tuple[str, ...]]:
    """A function that splits a word into known parts, or returns it whole."""
    links = ("", *LINKS.get(locale, ()))

    def split(word: str) -> tuple[str, ...]:
        if len(word) < MIN_WORD or not word.isalpha():
            return (word,)
        best: tuple[int, tuple[str, ...]] | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, rest = word[:cut], word[cut:]
            for link in links:
                if not rest.startswith(link):
                    continue
                tail = rest[len(link) :]
                if len(tail) < MIN_PART or not known(head) or not known(tail):
                    continue
                # Prefer balanced splits: a long head and a long tail are both real words
                # more often than a three-letter fragment is.
                balance = min(len(head), len(tail))
                if best is None or balance > best[0]:
                    best = (balance, (head, tail))
        return best[1] if best else (word,)

    return split
