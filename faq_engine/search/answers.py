"""The one ranking path: the API, the help pages, the widget and ``eval`` all call ``rank``."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Answer, AnswerRequest, AnswerResult, Article
from ..vocabulary import Vocabulary, covers
from .corpus import ArticleTerms
from .ranking import (
    THRESHOLDS,
    WEIGHTS,
    Features,
    Thresholds,
    Weights,
    category_relation,
    features,
    score,
)
from .searcher import LocaleIndex


@dataclass(frozen=True)
class Sources:
    """Where answers come from: the requested locale and, for missing articles, the fallback."""

    primary: LocaleIndex | None
    fallback: LocaleIndex | None = None

    def fallback_entries(self) -> dict[str, ArticleTerms]:
        if self.fallback is None:
            return {}
        own = self.primary.corpus.entries if self.primary else {}
        return {k: v for k, v in self.fallback.corpus.entries.items() if k not in own}


def rank(
    request: AnswerRequest,
    sources: Sources,
    vocabulary: Vocabulary,
    weights: Weights = WEIGHTS,
    thresholds: Thresholds = THRESHOLDS,
) -> AnswerResult:
    if not request.query.strip():
        return AnswerResult(request, tuple(_for_context(request, sources, vocabulary, weights)))
    scored: list[tuple[float, dict[str, float], Features, Article, bool]] = []
    for index, entries, is_fallback in _searchable(sources):
        words = list({w.surface: w for w in index.corpus.analyzer.words(request.query)}.values())
        query = [(word, index.corpus.weight(word)) for word in words]
        bm25 = index.candidates(sorted({t for w in words for t in w.terms}))
        best = max(bm25.values(), default=0.0) or 1.0
        for article_id, raw in bm25.items():
            entry = entries.get(article_id)
            if entry is None:
                continue
            f = features(request, query, entry, raw / best, is_fallback, vocabulary)
            total, parts = score(f, weights)
            scored.append((total, parts, f, entry.article, is_fallback))
    if not scored and request.context:
        return AnswerResult(request, tuple(_for_context(request, sources, vocabulary, weights)))
    best_match = max((s[2].match for s in scored), default=0.0)
    decision = {"best_match": round(best_match, 4), "threshold": thresholds.answer}
    if best_match < thresholds.answer:
        return AnswerResult(request, (), decision=decision)
    kept = [
        s
        for s in scored
        if s[2].match >= thresholds.keep
        and (not _held_back(request, s[3], vocabulary) or s[2].clearly_asked(thresholds))
    ]
    kept.sort(key=lambda s: (-s[0], s[3].id))
    if not kept:
        return AnswerResult(request, (), decision=decision)
    top = kept[0][0]
    answers = tuple(
        Answer(article, round(total, 4), is_fallback, _explain(request, parts, f))
        for total, parts, f, article, is_fallback in kept[: request.limit]
        if total >= thresholds.relative * top
    )
    return AnswerResult(request, answers, decision=decision)


def _searchable(sources: Sources) -> list[tuple[LocaleIndex, dict[str, ArticleTerms], bool]]:
    found = []
    if sources.primary is not None:
        found.append((sources.primary, sources.primary.corpus.entries, False))
    extra = sources.fallback_entries()
    if extra and sources.fallback is not None:
        found.append((sources.fallback, extra, True))
    return found


def _held_back(request: AnswerRequest, article: Article, vocabulary: Vocabulary) -> bool:
    """Noise where the shopper is: another part of the shop, or another material."""
    if request.category and article.categories and request.category not in article.categories:
        return True
    return vocabulary.held_back(request.context, article.contexts)


def _for_context(
    request: AnswerRequest, sources: Sources, vocabulary: Vocabulary, weights: Weights
) -> list[Answer]:
    """Best answers before the shopper types: articles that belong where the shopper is."""
    where = request.context or "general"
    listed: list[tuple[tuple[object, ...], float, dict[str, float], Article, bool]] = []
    for _, entries, is_fallback in _searchable(sources):
        for entry in entries.values():
            article = entry.article
            if not any(covers(where, c) for c in article.contexts):
                continue
            if _held_back(request, article, vocabulary):
                continue
            relation = "home" if covers(where, article.contexts[0]) else "listed"
            category = category_relation(request, article.categories)
            f = Features(0.0, 0.0, 0.0, relation, category, is_fallback)
            total, parts = score(f, weights)
            key = (-total, len(article.contexts), article.id)
            listed.append((key, total, parts, article, is_fallback))
    listed.sort(key=lambda item: item[0])
    return [
        Answer(article, round(total, 4), is_fallback, _explain(request, parts, None))
        for _, total, parts, article, is_fallback in listed[: request.limit]
    ]


def _explain(
    request: AnswerRequest, parts: dict[str, float], f: Features | None
) -> dict[str, float] | None:
    if not request.explain:
        return None
    breakdown = {name: round(value, 4) for name, value in parts.items()}
    if f is not None:
        breakdown["match"] = round(f.match, 4)
    return breakdown
