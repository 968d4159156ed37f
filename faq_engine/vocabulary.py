"""The context vocabulary: where a shopper can be, and what context does to answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Where a shopper is (key, a context prefix) → article contexts that would be noise there
# unless the query clearly asks for them.
HOLD_BACK: dict[str, tuple[str, ...]] = {
    "checkout": ("product.care",),
    "cart": ("product.care",),
    "order": ("product.care",),
    "product.care": ("checkout.payment",),
}


def is_under(context: str, prefix: str) -> bool:
    """True when ``context`` is ``prefix`` or one of its descendants."""
    return context == prefix or context.startswith(prefix + ".")


def covers(requested: str, declared: str) -> bool:
    """Does an article declaring ``declared`` belong where the shopper is (``requested``)?

    A parent request matches its children; an article declaring a parent belongs to every
    child of it.
    """
    return is_under(declared, requested) or is_under(requested, declared)


@dataclass(frozen=True)
class Vocabulary:
    contexts: dict[str, str]
    categories: tuple[str, ...]
    # (where the shopper is, an article's contexts) -> (relation, held back): few distinct
    # pairs, asked for every candidate of every query.
    _placed: dict[tuple[str, tuple[str, ...]], tuple[str, bool]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _order: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(contexts=dict(data["contexts"]), categories=tuple(data["categories"]))

    def parent(self, context: str) -> str | None:
        head, _, _ = context.rpartition(".")
        return head or None

    def __post_init__(self) -> None:
        self._order.update({context: n for n, context in enumerate(self.contexts)})

    def position(self, context: str) -> int:
        """Where ``context`` stands in the vocabulary (its file's order); unknown ones last."""
        return self._order.get(context, len(self._order))

    def area(self, context: str) -> str:
        return context.split(".", 1)[0]

    def placed(self, requested: str | None, declared: tuple[str, ...]) -> tuple[str, bool]:
        """Where an article with ``declared`` contexts stands on the page ``requested``.

        The relation is ``home`` (its first context is here), ``listed`` (another one is),
        ``area`` (same part of the shop), or ``none``; and whether it is noise here.
        """
        if not requested or requested == "general":
            return "none", False
        key = (requested, declared)
        found = self._placed.get(key)
        if found is None:
            found = self._placed[key] = (
                self._relation(requested, declared),
                self.held_back(requested, declared),
            )
        return found

    def _relation(self, where: str, declared: tuple[str, ...]) -> str:
        if covers(where, declared[0]):
            return "home"
        if any(covers(where, c) for c in declared[1:]):
            return "listed"
        area = self.area(where)
        if any(self.area(c) == area for c in declared):
            return "area"
        return "none"

    def held_back(self, requested: str | None, declared: tuple[str, ...]) -> bool:
        """Would an article with these contexts be noise where the shopper is?"""
        if not requested or any(covers(requested, c) for c in declared):
            return False
        noisy = [
            prefix
            for where, prefixes in HOLD_BACK.items()
            if is_under(requested, where)
            for prefix in prefixes
        ]
        return any(is_under(c, prefix) for c in declared for prefix in noisy)
