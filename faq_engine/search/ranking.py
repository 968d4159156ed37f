"""Scoring: a pure function of the query's terms, one article's terms and where the shopper is.

Every weight has a name; ``explain`` shows each one's share of an answer's score.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..analysis import Word
from ..models import AnswerRequest
from ..vocabulary import Vocabulary
from .corpus import PART_CREDIT, ArticleTerms, matched

RANKING_PATH = Path(__file__).resolve().parent.parent / "data" / "ranking.json"


@dataclass(frozen=True)
class Weights:
    """One weight per named signal; fitted on the development queries (``faq-engine calibrate``).

    The defaults are hand-set and used only when no fitted ``data/ranking.json`` ships.
    """

    coverage: float = 3.0  # share of the query's (idf-weighted) terms the article contains
    known_coverage: float = 0.0  # the same over the query words some article uses
    phrasing: float = 2.0  # best overlap with the title or one of the listed questions
    bm25: float = 1.0  # Whoosh BM25F, relative to the best candidate
    matched_share: float = 0.0  # share of the query's words found at all
    head: float = 0.0  # share of the query's terms in the title, questions or tags
    wording: float = 0.0  # overlap of every word, stop words too, with a phrasing
    context_home: float = 1.0  # the article's first context is where the shopper is
    context_listed: float = 0.7  # another of its contexts is
    context_area: float = 0.25  # same part of the shop (checkout, product, order ...)
    category: float = 1.0  # the article is about the product's category
    other_category: float = -2.0  # the article is about another category
    fallback: float = -0.3  # the article comes from the fallback locale

    @classmethod
    def load(cls, path: Path = RANKING_PATH) -> Weights:
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {f.name for f in fields(cls)}
        return cls(**{k: float(v) for k, v in data["weights"].items() if k in names})

    def to_json(self) -> str:
        return json.dumps({"weights": asdict(self)}, indent=2) + "\n"


@dataclass(frozen=True)
class Thresholds:
    floor: float = 0.2  # every answer's own match needed to be listed
    gap: float = 1.2  # and its score at most this far below the best answer's
    clear: float = 0.75  # coverage of two or more terms at which a held-back answer shows
    clear_phrasing: float = 0.6  # or overlap with one of its phrasings


WEIGHTS = Weights.load()
THRESHOLDS = Thresholds()


# Not frozen: one is built for every candidate of every query, and a frozen dataclass's
# __init__ costs about three times as much.
@dataclass(slots=True)
class Features:
    coverage: float
    phrasing: float
    bm25: float
    context: str  # home | listed | area | none
    category: str  # match | other | none
    fallback: bool
    matched: int = 0  # how many of the query's words the article contains
    known_coverage: float = 0.0  # coverage of the query words that some article uses
    matched_share: float = 0.0  # share of the query's words the article contains
    head: float = 0.0  # share of the query's (idf-weighted) terms in title, questions or tags
    wording: float = 0.0  # best overlap of every word of the query with the title or a question

    @property
    def at_place(self) -> bool:
        """The article belongs to the page the shopper is on (its home or another context)."""
        return self.context in ("home", "listed")

    @property
    def match(self) -> float:
        return max(self.coverage, self.phrasing)

    def clearly_asked(self, thresholds: Thresholds) -> bool:
        """Does the query plainly ask for this article, wherever the shopper is?"""
        return self.phrasing >= thresholds.clear_phrasing or (
            self.coverage >= thresholds.clear and self.matched >= 2
        )


def context_relation(
    request: AnswerRequest, contexts: tuple[str, ...], vocabulary: Vocabulary
) -> str:
    return vocabulary.placed(request.context, contexts)[0]


def category_relation(request: AnswerRequest, categories: tuple[str, ...]) -> str:
    if not request.category or not categories:
        return "none"
    return "match" if request.category in categories else "other"


def features(
    request: AnswerRequest,
    query: list[tuple[Word, float]],
    entry: ArticleTerms,
    bm25_relative: float,
    fallback: bool,
    vocabulary: Vocabulary,
    unknown: frozenset[str] = frozenset(),
    wording: frozenset[str] = frozenset(),
) -> Features:
    """The features of one article for one query: ``query`` is (word, weight) pairs.

    ``unknown`` names the query words no article uses: they count in ``coverage`` but not
    in ``known_coverage``.
    """
    coverage = 0.0
    known_coverage = 0.0
    phrasing = 0.0
    head_share = 0.0
    total = 0.0
    known_total = 0.0
    known = 0.0
    hits: list[tuple[Word, float]] = []  # the words the article has, with their weights
    terms = entry.terms
    for word, weight in query:
        # matched() inlined for its common case, a whole word found: this runs for every
        # word of every candidate.
        m = 1.0 if not word.forms.isdisjoint(terms) else matched(word, terms) if word.parts else 0.0
        total += weight
        if m:
            coverage += m * weight
            hits.append((word, weight))
        if word.surface not in unknown:
            known_total += weight
            known += m * weight
    if total:
        coverage /= total
        known_coverage = known / known_total if known_total else 0.0
        # Titles, questions and tags are the article's head; titles and questions (its
        # phrasings) are part of the head, so only words found there can match one.
        head = entry.head
        in_head: list[tuple[Word, float]] = []
        for word, weight in hits:
            m = (
                1.0
                if not word.forms.isdisjoint(head)
                else matched(word, head)
                if word.parts
                else 0.0
            )
            if m:
                head_share += m * weight
                in_head.append((word, weight))
        head_share /= total
        if in_head:
            phrasing = _phrasing(in_head, entry, total)
    worded = overlap(wording, entry)
    return Features(
        coverage=coverage,
        phrasing=phrasing,
        bm25=bm25_relative,
        context=context_relation(request, entry.article.contexts, vocabulary),
        category=category_relation(request, entry.article.categories),
        fallback=fallback,
        matched=len(hits),
        known_coverage=known_coverage,
        matched_share=len(hits) / len(query) if query else 0.0,
        head=head_share,
        wording=worded,
    )


def _phrasing(in_head: list[tuple[Word, float]], entry: ArticleTerms, total: float) -> float:
    """The best overlap of the query's words (those in the article's head) with its title or
    one of its questions: 2 * shared weight / (query weight + phrasing weight), a compound
    found only through its parts counting as ``matched`` does."""
    index = entry.phrasing_index
    shared: dict[int, float] = {}
    for word, weight in in_head:
        whole: set[int] = set()
        for form in word.forms:
            whole.update(index.get(form, ()))
        for i in whole:
            shared[i] = shared.get(i, 0.0) + weight
        if word.parts:
            found: dict[int, int] = {}
            for part in word.parts:
                held: set[int] = set()
                for form in part:
                    held.update(index.get(form, ()))
                for i in held - whole:
                    found[i] = found.get(i, 0) + 1
            credit = PART_CREDIT * weight / len(word.parts)
            for i, n in found.items():
                shared[i] = shared.get(i, 0.0) + n * credit
    weights = entry.phrasing_weights
    best = 0.0
    for i, value in shared.items():
        ratio = 2 * value / (total + weights[i])
        if ratio > best:
            best = ratio
    return best


def overlap(wording: frozenset[str], entry: ArticleTerms) -> float:
    """The best Dice overlap of a query's words with one of an article's phrasings."""
    if not wording:
        return 0.0
    shared: dict[int, int] = {}
    index = entry.wording_index
    for term in wording:
        for i in index.get(term, ()):
            shared[i] = shared.get(i, 0) + 1
    best = 0.0
    size = len(wording)
    sizes = entry.wording_sizes
    for i, n in shared.items():
        value = 2 * n / (size + sizes[i])
        if value > best:
            best = value
    return best


def vector(f: Features) -> dict[str, float]:
    """The features as the numbers the weights multiply, one per weight's name."""
    return {
        "coverage": f.coverage,
        "known_coverage": f.known_coverage,
        "phrasing": f.phrasing,
        "bm25": f.bm25,
        "matched_share": f.matched_share,
        "head": f.head,
        "wording": f.wording,
        "context_home": float(f.context == "home"),
        "context_listed": float(f.context == "listed"),
        "context_area": float(f.context == "area"),
        "category": float(f.category == "match"),
        "other_category": float(f.category == "other"),
        "fallback": float(f.fallback),
    }


PARTS = {
    "context_home": "context",
    "context_listed": "context",
    "context_area": "context",
    "other_category": "category",
}


def score(f: Features, weights: Weights = WEIGHTS) -> float:
    """The article's score: each named weight times its feature, summed."""
    w = weights
    total = (
        w.coverage * f.coverage
        + w.known_coverage * f.known_coverage
        + w.phrasing * f.phrasing
        + w.bm25 * f.bm25
        + w.matched_share * f.matched_share
        + w.head * f.head
        + w.wording * f.wording
    )
    if f.context == "home":
        total += w.context_home
    elif f.context == "listed":
        total += w.context_listed
    elif f.context == "area":
        total += w.context_area
    if f.category == "match":
        total += w.category
    elif f.category == "other":
        total += w.other_category
    if f.fallback:
        total += w.fallback
    return total


def breakdown(f: Features, weights: Weights = WEIGHTS) -> dict[str, float]:
    """The score by named weight (contexts together, categories together): ``explain``."""
    parts: dict[str, float] = {}
    for name, value in vector(f).items():
        part = PARTS.get(name, name)
        parts[part] = parts.get(part, 0.0) + getattr(weights, name) * value
    return parts


def describe_weights() -> dict[str, object]:
    return {"weights": asdict(WEIGHTS), "thresholds": asdict(THRESHOLDS)}
