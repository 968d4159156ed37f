"""How good a grouping is against known labels: homogeneity, completeness and V-measure.

Rosenberg & Hirschberg (2007): homogeneity is 1 when every group holds one label only,
completeness when every label sits in one group; V-measure is their harmonic mean.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any


def _entropy(counts: Sequence[int], total: int) -> float:
    return -sum(c / total * math.log(c / total) for c in counts if c)


def v_measure(labels: Sequence[str], groups: Sequence[str]) -> tuple[float, float, float]:
    """(homogeneity, completeness, V-measure) of ``groups`` against true ``labels``."""
    total = len(labels)
    if total == 0 or len(groups) != total:
        raise ValueError("labels and groups must be equally long and not empty")
    joint = Counter(zip(labels, groups, strict=True))
    by_label = Counter(labels)
    by_group = Counter(groups)
    h_label = _entropy(list(by_label.values()), total)
    h_group = _entropy(list(by_group.values()), total)
    h_label_given_group = -sum(n / total * math.log(n / by_group[g]) for (_, g), n in joint.items())
    h_group_given_label = -sum(
        n / total * math.log(n / by_label[lab]) for (lab, _), n in joint.items()
    )
    homogeneity = 1.0 if h_label == 0 else 1 - h_label_given_group / h_label
    completeness = 1.0 if h_group == 0 else 1 - h_group_given_label / h_group
    v = (
        0.0
        if homogeneity + completeness == 0
        else 2 * homogeneity * completeness / (homogeneity + completeness)
    )
    return homogeneity, completeness, v


def redaction_scores(
    records: Iterable[Mapping[str, Any]], redact: Callable[[str, str], str]
) -> dict[str, dict[str, float]]:
    """Per locale: the share of ``must_go`` substrings gone after redaction (recall) and of
    ``must_stay`` substrings still there (keep-precision), with the counts behind them."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        locale = str(record["locale"])
        out = redact(str(record["text"]), locale)
        tally = counts[locale]
        for item in record.get("must_go", []):
            text = item["text"] if isinstance(item, dict) else str(item)
            tally["go"] += 1
            tally["gone"] += text not in out
        for text in record.get("must_stay", []):
            tally["stay"] += 1
            tally["kept"] += str(text) in out
    return {
        locale: {
            "recall": t["gone"] / t["go"] if t["go"] else 1.0,
            "keep_precision": t["kept"] / t["stay"] if t["stay"] else 1.0,
            "must_go": t["go"],
            "must_stay": t["stay"],
        }
        for locale, t in sorted(counts.items())
    }
