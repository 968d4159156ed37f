"""Whether to answer at all: a logistic model over normalised match features.

Raw BM25 scores mean nothing across queries or collections; these features do (shares and
overlaps between 0 and 1), so the model fitted on our development queries carries over to
other FAQ collections. ``faq-engine calibrate`` refits it and writes ``data/calibration.json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..content.frontmatter import compose, parse

FEATURES = (
    "match",
    "coverage",
    "known_coverage",
    "matched_share",
    "unknown_share",
    "length",
    "in_context",
    "margin",
    "known_in_context",
    "phrased",
    "phrasing_phrased",
    "head_phrased",
    "wording",
    "matched_words",
)
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    weights: dict[str, float]
    bias: float
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * features.get(k, 0.0) for k in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        data = {"weights": self.weights, "bias": self.bias, "threshold": self.threshold}
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            {k: float(v) for k, v in data["weights"].items()},
            float(data["bias"]),
            float(data.get("threshold", 0.5)),
        )


def fit(
    samples: Sequence[tuple[dict[str, float], bool]],
    l2: float = 0.001,
    steps: int = 4000,
    rate: float = 4.0,
) -> Calibration:
    """Logistic regression by gradient descent: P(the FAQ answers this query)."""
    weights = dict.fromkeys(FEATURES, 0.0)
    bias = 0.0
    n = max(1, len(samples))
    positives = sum(1 for _, label in samples if label) or 1
    negatives = (n - positives) or 1
    for _ in range(steps):
        grad = dict.fromkeys(FEATURES, 0.0)
        grad_bias = 0.0
        model = Calibration(weights, bias)
        for features, label in samples:
            # Weigh the classes equally: a shop's no-answer questions are rarer than the
            # answerable ones in any query set, but both mistakes matter.
            weight = n / (2 * (positives if label else negatives))
            error = (model.probability(features) - (1.0 if label else 0.0)) * weight
            grad_bias += error
            for k in FEATURES:
                grad[k] += error * features.get(k, 0.0)
        bias -= rate * grad_bias / n
        for k in FEATURES:
            weights[k] -= rate * (grad[k] / n + l2 * weights[k])
    return Calibration({k: round(v, 4) for k, v in weights.items()}, round(bias, 4))


def with_threshold(
    model: Calibration,
    samples: Sequence[tuple[dict[str, float], bool]],
    groups: Sequence[str],
    no_answer: float,
) -> Calibration:
    """The model with the lowest threshold that declines ``no_answer`` of every group's
    unanswerable queries: answer as much as possible, within the no-answer rate asked for.
    """
    for step in range(10, 91):
        threshold = step / 100
        declined: dict[str, list[bool]] = {}
        for (features, label), group in zip(samples, groups, strict=True):
            if not label:
                declined.setdefault(group, []).append(model.probability(features) < threshold)
        if all(sum(d) / len(d) >= no_answer for d in declined.values()):
            return Calibration(model.weights, model.bias, threshold)
    return model


def titles_and_bodies(source: Path, target: Path) -> int:
    """A copy of a content folder with only titles, bodies and contexts: no listed
    questions, tags or synonyms, as many FAQ collections are. ``calibrate`` fits the
    answer-or-not decision on both, so it carries over to such collections. Returns how
    many articles were copied.
    """
    copied = 0
    for path in sorted(source.glob("*/*.md")):
        if path.parent.name.startswith("_"):
            continue
        parsed = parse(path.read_text(encoding="utf-8"))
        meta = {k: v for k, v in parsed.meta.items() if k not in ("questions", "tags")}
        out = target / path.parent.name / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(compose(meta, parsed.body + "\n"), encoding="utf-8")
        copied += 1
    return copied
