"""The one ranking path: the API, the help pages, the widget and ``eval`` all call ``rank``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..models import Answer, AnswerRequest, AnswerResult, Article
from ..vocabulary import Vocabulary, covers
from .calibration import Calibration
from .corpus import ArticleTerms
from .ranking import (
    THRESHOLDS,
    WEIGHTS,
    Features,
    Thresholds,
    Weights,
    breakdown,
    category_relation,
    features,
    overlap,
    score,
)
from .searcher import LocaleIndex

CALIBRATION = Calibration.load()
CONTEXT_CANDIDATES = 12  # articles of the shopper's page scored whatever the query's words
WORDED_SCAN = 500  # beyond this many articles, a stop-word query weighs only those few
MATCHED_WORDS = 5  # the decision counts an answer's matched query words up to this many


@dataclass(frozen=True)
class Sources:
    """Where answers come from: the requested locale and, for missing articles, the fallback.

    Built once per content version, so requests do not recompute which articles are missing.
    """

    primary: LocaleIndex | None
    fallback: LocaleIndex | None = None
    missing: dict[str, ArticleTerms] = field(default_factory=dict)  # fallback articles used
    _by_place: dict[tuple[object, ...], tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, primary: LocaleIndex | None, fallback: LocaleIndex | None) -> Sources:
        if fallback is None or fallback is primary:
            return cls(primary)
        own = primary.corpus.entries if primary else {}
        missing = {k: v for k, v in fallback.corpus.entries.items() if k not in own}
        return cls(primary, fallback, missing)

    def in_context(
        self, request: AnswerRequest, fallback: bool, vocabulary: Vocabulary
    ) -> tuple[str, ...]:
        """The articles that belong where the shopper is (home first), at most a few.

        Worked out once per place and content version; a page with hundreds of articles of
        its own gets no extra candidates beyond ``CONTEXT_CANDIDATES``.
        """
        where = request.context
        if not where or where == "general":
            return ()
        key = (where, request.category, fallback)
        found = self._by_place.get(key)
        if found is None:
            if fallback:
                entries = self.missing
            else:
                entries = self.primary.corpus.entries if self.primary else {}
            listed = sorted(
                (not covers(where, entry.article.contexts[0]), article_id)
                for article_id, entry in entries.items()
                if _belongs(request, where, entry.article, vocabulary)
            )
            found = self._by_place[key] = tuple(i for _, i in listed[:CONTEXT_CANDIDATES])
        return found


@dataclass(slots=True)  # one per candidate: not frozen, for a cheaper __init__
class Scored:
    total: float
    features: Features
    article: Article
    fallback: bool


def rank(
    request: AnswerRequest,
    sources: Sources,
    vocabulary: Vocabulary,
    weights: Weights = WEIGHTS,
    thresholds: Thresholds = THRESHOLDS,
    calibration: Calibration | None = None,
) -> AnswerResult:
    """Answers for a request: by context alone without a query, else by the query in context.

    A query with words no article knows is tried again with the nearest known words; the
    correction is kept (and returned as ``did_you_mean``) only when it answers better.
    """
    if not request.query.strip():
        return AnswerResult(request, tuple(_for_context(request, sources, vocabulary, weights)))
    calibration = calibration or CALIBRATION
    result = _for_query(request, sources, vocabulary, weights, thresholds, calibration)
    if not result.decision.get("unknown_share"):
        return result  # every word is known to the articles: nothing to correct
    corrected = _corrected(request.query, sources.primary)
    if corrected is not None:
        retry = _for_query(
            replace(request, query=corrected),
            sources,
            vocabulary,
            weights,
            thresholds,
            calibration,
        )
        gain = retry.decision.get("probability", 0.0) - result.decision.get("probability", 0.0)
        if retry.answers and (not result.answers or gain > 0):
            return AnswerResult(request, retry.answers, corrected, retry.decision)
    return result


def _corrected(query: str, index: LocaleIndex | None) -> str | None:
    """The query with each word unknown to the articles replaced by its nearest known word."""
    if index is None:
        return None
    corpus = index.corpus
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        token = match.group()
        words = corpus.query_words(token)
        if not words or corpus.knows(words[0]):
            return token
        word = words[0]
        suggestion = corpus.speller.suggest(word.surface)
        if suggestion is None:
            return token
        changed = True
        return suggestion

    fixed = re.sub(r"\w+", fix, query)
    return fixed if changed else None


def scored_candidates(
    request: AnswerRequest, sources: Sources, vocabulary: Vocabulary, weights: Weights = WEIGHTS
) -> tuple[list[Scored], dict[str, float]]:
    """Every article sharing a term with the query, scored; and what the query itself is like."""
    scored: list[Scored] = []
    signals: dict[str, float] = {}
    for index, entries, is_fallback in _searchable(sources):
        corpus = index.corpus
        words = corpus.query_words(request.query)
        query = [(word, corpus.weight(word)) for word in words]
        unknown = frozenset(w.surface for w in words if not corpus.knows(w))
        wording = corpus.wording(request.query)
        if not is_fallback:
            total = sum(w for _, w in query) or 1.0
            signals = {
                "unknown_share": sum(w for word, w in query if word.surface in unknown) / total,
                "length": min(len(words), 8) / 8,
                "words": float(len(words)),
                "phrased": corpus.phrased,
            }
        bm25 = index.candidates(sorted({t for w in words for t in w.terms}))
        top_bm25 = max(bm25.values(), default=0.0) or 1.0
        # The articles of the page the shopper is on are candidates whatever the words:
        # "does it cost extra" at the delivery step shares no term with the answer.
        for article_id in sources.in_context(request, is_fallback, vocabulary):
            bm25.setdefault(article_id, 0.0)
        for article_id, raw in bm25.items():
            entry = entries.get(article_id)
            if entry is None:
                continue
            f = features(
                request, query, entry, raw / top_bm25, is_fallback, vocabulary, unknown, wording
            )
            scored.append(Scored(score(f, weights), f, entry.article, is_fallback))
    scored.sort(key=lambda s: (-s.total, s.article.id))
    return scored, signals


def _for_query(
    request: AnswerRequest,
    sources: Sources,
    vocabulary: Vocabulary,
    weights: Weights,
    thresholds: Thresholds,
    calibration: Calibration,
) -> AnswerResult:
    scored, signals = scored_candidates(request, sources, vocabulary, weights)
    if not signals.get("words") and request.context:
        # Only stop words ("hur gör man"): the page the shopper is on is all we know.
        return AnswerResult(
            request, tuple(_for_context(request, sources, vocabulary, weights, worded=True))
        )

    placed = [
        (s, _held_back(request, s.article, vocabulary) or _elsewhere(request, s.features))
        for s in scored
    ]
    # An answer from elsewhere in the shop shows only when the query plainly asks for it
    # and nothing where the shopper is matches as well.
    at_home = max((s.features.match for s, away in placed if not away), default=0.0)
    kept = [
        s
        for s, away in placed
        if (s.features.match >= thresholds.floor or s.features.at_place)
        and (not away or (s.features.clearly_asked(thresholds) and s.features.match > at_home))
    ]
    decision = decision_features(kept or scored, signals)
    decision["probability"] = round(calibration.probability(decision), 4)
    if not kept or decision["probability"] < calibration.threshold:
        return AnswerResult(request, (), decision=decision)
    top = kept[0].total
    answers = tuple(
        Answer(
            s.article, round(s.total, 4), s.fallback, _explain(request, s.features, weights, True)
        )
        for s in kept[: request.limit]
        if s.total >= top - thresholds.gap
    )
    return AnswerResult(request, answers, decision=decision)


def decision_features(kept: list[Scored], signals: dict[str, float]) -> dict[str, float]:
    """What the answer-or-not decision is taken on: the best answer's match and the query."""
    best = kept[0].features if kept else None
    in_context = best is not None and best.at_place
    runner_up = kept[1].total if len(kept) > 1 else (kept[0].total - 3.0 if kept else 0.0)
    words = signals.get("words", 0.0)
    features = {
        "match": best.match if best else 0.0,
        "coverage": best.coverage if best else 0.0,
        "phrasing": best.phrasing if best else 0.0,
        "head": best.head if best else 0.0,
        "known_coverage": best.known_coverage if best else 0.0,
        "matched_share": best.matched / words if best and words else 0.0,
        "unknown_share": signals.get("unknown_share", 1.0),
        "length": signals.get("length", 0.0),
        "in_context": float(in_context),
        "margin": min(3.0, kept[0].total - runner_up) / 3.0 if kept else 0.0,
        # Every word, stop words too, put like the answer's title or a question; and how
        # many of the query's words it holds at all: a long message that tells a story
        # around a covered question still shares several words with its answer, where a
        # question the FAQ does not cover meets it on one or two.
        "wording": best.wording if best else 0.0,
        "matched_words": min(best.matched, MATCHED_WORDS) / MATCHED_WORDS if best else 0.0,
    }
    # A short query of known words on a page with answers of its own is a question about
    # that page ("does it cost extra" at the delivery step); unknown words point elsewhere.
    features["known_in_context"] = features["in_context"] * (1 - features["unknown_share"])
    # Overlap with listed questions says much in a collection that lists them, little in
    # one of titles only: these count as far as the collection has questions.
    phrased = signals.get("phrased", 0.0)
    features["phrased"] = phrased
    features["phrasing_phrased"] = features["phrasing"] * phrased
    features["head_phrased"] = features["head"] * phrased
    return {k: round(v, 4) for k, v in features.items()}


def _searchable(sources: Sources) -> list[tuple[LocaleIndex, dict[str, ArticleTerms], bool]]:
    found = []
    if sources.primary is not None:
        found.append((sources.primary, sources.primary.corpus.entries, False))
    if sources.missing and sources.fallback is not None:
        found.append((sources.fallback, sources.missing, True))
    return found


def _belongs(request: AnswerRequest, where: str, article: Article, vocabulary: Vocabulary) -> bool:
    """Does the article belong on the page ``where`` the shopper is, and is it not noise there?"""
    return any(covers(where, c) for c in article.contexts) and not _held_back(
        request, article, vocabulary
    )


def _held_back(request: AnswerRequest, article: Article, vocabulary: Vocabulary) -> bool:
    """Noise where the shopper is: another part of the shop, or another material."""
    if request.category and article.categories and request.category not in article.categories:
        return True
    return vocabulary.placed(request.context, article.contexts)[1]


def _elsewhere(request: AnswerRequest, f: Features) -> bool:
    """An article from another part of the shop than the page the shopper is on."""
    return bool(request.context) and request.context != "general" and f.context == "none"


def _for_context(
    request: AnswerRequest,
    sources: Sources,
    vocabulary: Vocabulary,
    weights: Weights,
    worded: bool = False,
) -> list[Answer]:
    """Best answers before the shopper types: articles that belong where the shopper is.

    ``worded``: the query has only stop words ("hur gör jag"); among equally placed
    articles, the one whose title or question is put most like it comes first (in a
    collection of more than ``WORDED_SCAN`` articles, among the page's first few,
    ``Sources.in_context``).
    """
    where = request.context or "general"
    listed: list[tuple[tuple[object, ...], Scored]] = []
    for index, entries, is_fallback in _searchable(sources):
        wording: frozenset[str] = frozenset()
        considered: Iterable[ArticleTerms] = entries.values()
        if worded:
            wording = index.corpus.wording(request.query)
            if len(entries) > WORDED_SCAN:
                placed = sources.in_context(request, is_fallback, vocabulary)
                considered = [entries[i] for i in placed if i in entries]
        for entry in considered:
            article = entry.article
            if not _belongs(request, where, article, vocabulary):
                continue
            relation = "home" if covers(where, article.contexts[0]) else "listed"
            category = category_relation(request, article.categories)
            f = Features(0.0, 0.0, 0.0, relation, category, is_fallback)
            total = score(f, weights)
            # Under a parent context ("order"), its children come in the vocabulary's
            # order: tracking questions before changes, changes before returns.
            key = (
                -total,
                -overlap(wording, entry),
                vocabulary.position(article.contexts[0]),
                len(article.contexts),
                article.id,
            )
            listed.append((key, Scored(total, f, article, is_fallback)))
    listed.sort(key=lambda item: item[0])
    return [
        Answer(
            s.article, round(s.total, 4), s.fallback, _explain(request, s.features, weights, False)
        )
        for _, s in listed[: request.limit]
    ]


def _explain(
    request: AnswerRequest, f: Features, weights: Weights, matched: bool
) -> dict[str, float] | None:
    if not request.explain:
        return None
    explained = {name: round(value, 4) for name, value in breakdown(f, weights).items()}
    if matched:
        explained["match"] = round(f.match, 4)
    return explained
