"""Fitting the ranking weights on judged queries: a linear listwise (softmax) model.

For each query the articles sharing a term with it are the candidates; the model learns the
weights under which the judged answers get the highest share of a softmax over the
candidates' scores. Features are shares and flags between 0 and 1, so the weights carry over
to other collections; a little L2 keeps any one of them from running away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from .ranking import Weights


@dataclass(frozen=True)
class Judged:
    """One query's candidates (feature vectors) and which of them answer it, best first."""

    candidates: tuple[dict[str, float], ...]
    relevant: tuple[int, ...]


def target(judged: Judged) -> list[float]:
    """The share each candidate should get: the first judged answer most of it."""
    shares = [0.0] * len(judged.candidates)
    if len(judged.relevant) == 1:
        shares[judged.relevant[0]] = 1.0
        return shares
    shares[judged.relevant[0]] = 0.6
    for i in judged.relevant[1:]:
        shares[i] += 0.4 / (len(judged.relevant) - 1)
    return shares


def _usable(queries: Sequence[Judged]) -> list[Judged]:
    """Queries the model can learn from: a judged answer among two or more candidates."""
    return [q for q in queries if q.relevant and len(q.candidates) > 1]


def _scores(weights: dict[str, float], judged: Judged) -> list[float]:
    return [sum(w * x.get(k, 0.0) for k, w in weights.items()) for x in judged.candidates]


def fit_ranking(
    queries: Sequence[Judged],
    start: Weights | None = None,
    l2: float = 0.002,
    steps: int = 600,
    rate: float = 0.5,
) -> Weights:
    names = [f.name for f in fields(Weights)]
    start = start or Weights()
    weights = {n: getattr(start, n) for n in names}
    usable = _usable(queries)
    targets = [target(q) for q in usable]
    n = max(1, len(usable))
    for _ in range(steps):
        grad = dict.fromkeys(names, 0.0)
        for judged, shares in zip(usable, targets, strict=True):
            scores = _scores(weights, judged)
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            z = sum(exps)
            for x, e, q in zip(judged.candidates, exps, shares, strict=True):
                diff = e / z - q
                if diff:
                    for k, v in x.items():
                        if v:
                            grad[k] += diff * v
        for k in names:
            weights[k] -= rate * (grad[k] / n + l2 * weights[k])
    return Weights(**{k: round(v, 4) for k, v in weights.items()})


def log_loss(queries: Sequence[Judged], weights: Weights) -> float:
    """Mean cross-entropy of the judged shares under ``weights`` (lower is better)."""
    values = asdict(weights)
    total = 0.0
    usable = _usable(queries)
    for judged in usable:
        scores = _scores(values, judged)
        top = max(scores)
        log_z = top + math.log(sum(math.exp(s - top) for s in scores))
        total -= sum(q * (s - log_z) for q, s in zip(target(judged), scores, strict=True) if q)
    return total / max(1, len(usable))
