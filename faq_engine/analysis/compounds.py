"""Splitting Swedish, Danish and Dutch compounds into parts the articles know.

"returfrakt" → retur + frakt, "verzendkosten" → verzend + kosten,
"presentkortssaldo" → presentkort + saldo (the linking s dropped), and into three parts:
"wachtwoordherstelmail" → wachtwoord + herstel + mail.

Every part must be a word of the articles. A part known only to the language's dictionary
was tried ("läderstövlar" → läder + stövlar when the articles say only "läder"): on
shoppers' queries it matched fewer answers than it found, so it is not done.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

# Letters that may join two parts of a compound, per language.
LINKS: dict[str, tuple[str, ...]] = {
    "sv": ("s",),
    "da": ("s", "e"),
    "nl": ("s", "en", "e"),
}
MIN_PART = 3
MIN_WORD = 6
MAX_PARTS = 3

Split = tuple[int, tuple[str, ...]]  # (balance: the shortest part's length, parts)


def splitter(locale: str, known: Callable[[str], bool]) -> Callable[[str], tuple[str, ...]]:
    """A function that splits a word into known parts, or returns it whole.

    ``known``: is a part a word of the articles (of the locale's vocabulary)? Among the
    splits, the one with the most parts wins (each is a term the articles use), then the
    most balanced: a long head and a long tail are both real words more often than a
    three-letter fragment is.
    """
    links = ("", *LINKS.get(locale, ()))

    @lru_cache(maxsize=65536)
    def best(word: str, most: int) -> Split | None:
        found: Split | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, rest = word[:cut], word[cut:]
            if not known(head):
                continue
            for link in links:
                if not rest.startswith(link):
                    continue
                tail = rest[len(link) :]
                if len(tail) < MIN_PART:
                    continue
                options: list[Split] = []
                if known(tail):
                    options.append((len(tail), (tail,)))
                if most > 2 and len(tail) >= 2 * MIN_PART:
                    rest_split = best(tail, most - 1)
                    if rest_split is not None:
                        options.append(rest_split)
                for tail_balance, tail_parts in options:
                    candidate = (min(len(head), tail_balance), (head, *tail_parts))
                    if found is None or _better(candidate, found):
                        found = candidate
        return found

    def split(word: str) -> tuple[str, ...]:
        if len(word) < MIN_WORD or not word.isalpha():
            return (word,)
        found = best(word, MAX_PARTS)
        return found[1] if found else (word,)

    return split


def _better(candidate: Split, found: Split) -> bool:
    return (len(candidate[1]), candidate[0]) > (len(found[1]), found[0])
