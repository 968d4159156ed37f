"""Diacritic and spelling folding, so "hamta" finds "hämta" and "aendre" finds "ændre"."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Letters that do not decompose into a base letter and a combining mark.
_NON_DECOMPOSING = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "œ": "oe"})


def fold_generic(word: str) -> str:
    """Drop diacritics: å/ä→a, ö/ø→o, ą→a, ł→l, ë→e ..."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_NON_DECOMPOSING))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_danish(word: str) -> str:
    """æ/ø/å, their two-letter spellings ae/oe/aa and the bare a/o typed on a keyboard
    without them ("storrelse", "hvornar") meet in one form."""
    word = word.replace("æ", "a").replace("ø", "o").replace("å", "a")
    word = word.replace("aa", "a").replace("oe", "o").replace("ae", "a")
    return fold_generic(word)


def fold_dutch(word: str) -> str:
    """ë/é lose their marks; the ij digraph (or ĳ) and a typed y meet as y."""
    return fold_generic(word).replace("ij", "y")


FOLDERS: dict[str, Callable[[str], str]] = {"da": fold_danish, "nl": fold_dutch}


def folder_for(locale: str) -> Callable[[str], str]:
    return FOLDERS.get(locale, fold_generic)
