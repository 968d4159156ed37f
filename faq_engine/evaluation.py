"""Search quality on a JSON Lines query set, scored through the engine's own ranking path."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem
from .models import AnswerRequest, AnswerResult

REQUIRED = ("locale", "q", "expect")


@dataclass(frozen=True)
class Case:
    locale: str
    q: str
    context: str | None
    category: str | None
    expect: tuple[str, ...]
    kind: str
    line: int


def read_cases(path: Path) -> tuple[list[Case], list[Problem]]:
    cases: list[Case] = []
    problems: list[Problem] = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except ValueError as exc:
                problems.append(Problem(str(path), number, f"not JSON: {exc}"))
                continue
            missing = [key for key in REQUIRED if not isinstance(row, dict) or key not in row]
            if missing:
                problems.append(Problem(str(path), number, f"missing {', '.join(missing)}"))
                continue
            expect = row["expect"]
            if not isinstance(expect, list) or not all(isinstance(e, str) for e in expect):
                problems.append(Problem(str(path), number, "expect must be a list of article ids"))
                continue
            cases.append(
                Case(
                    locale=str(row["locale"]),
                    q=str(row["q"]),
                    context=row.get("context") or None,
                    category=row.get("category") or None,
                    expect=tuple(expect),
                    kind=str(row.get("kind") or "unlabelled"),
                    line=number,
                )
            )
    return cases, problems


@dataclass
class Tally:
    """Counts for one group of cases (a locale, a kind, or both)."""

    answerable: int = 0
    hits1: int = 0
    hits3: int = 0
    reciprocal: float = 0.0
    unanswerable: int = 0
    correctly_silent: int = 0
    wrongly_silent: int = 0

    def add(self, case: Case, ranked: list[str]) -> None:
        if not case.expect:
            self.unanswerable += 1
            self.correctly_silent += not ranked
            return
        self.answerable += 1
        self.wrongly_silent += not ranked
        rank = next((i for i, a in enumerate(ranked, 1) if a in case.expect), None)
        if rank is not None:
            self.hits1 += rank == 1
            self.hits3 += rank <= 3
            self.reciprocal += 1 / rank

    def summary(self) -> dict[str, Any]:
        n = self.answerable
        return {
            "queries": n + self.unanswerable,
            "answerable": n,
            "recall@1": round(self.hits1 / n, 4) if n else None,
            "recall@3": round(self.hits3 / n, 4) if n else None,
            "mrr": round(self.reciprocal / n, 4) if n else None,
            "answered_wrongly_silent": round(self.wrongly_silent / n, 4) if n else None,
            "no_answer_queries": self.unanswerable,
            "no_answer_rate": (
                round(self.correctly_silent / self.unanswerable, 4) if self.unanswerable else None
            ),
        }


@dataclass
class Report:
    by_locale: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "locales": {loc: t.summary() for loc, t in sorted(self.by_locale.items())},
            "kinds": {
                f"{loc}/{kind}": t.summary() for (loc, kind), t in sorted(self.by_kind.items())
            },
            "misses": self.misses,
        }


def evaluate(cases: Iterable[Case], answer: Callable[[AnswerRequest], AnswerResult]) -> Report:
    report = Report()
    for case in cases:
        request = AnswerRequest(case.locale, case.q, case.context, case.category, limit=5)
        ranked = [a.article.id for a in answer(request).answers]
        report.by_locale[case.locale].add(case, ranked)
        report.by_kind[(case.locale, case.kind)].add(case, ranked)
        right = ranked[0] in case.expect if ranked else not case.expect
        if not right:
            report.misses.append(
                {
                    "line": case.line,
                    "locale": case.locale,
                    "q": case.q,
                    "context": case.context,
                    "category": case.category,
                    "expect": list(case.expect),
                    "got": ranked[:3],
                    "kind": case.kind,
                }
            )
    return report


def format_report(report: Report, baseline: Report | None = None) -> str:
    """A table per locale and per kind; with a baseline, its figure follows each of ours."""
    data = report.to_dict()
    base = baseline.to_dict() if baseline else None
    columns = [
        ("recall@1", "R@1"),
        ("recall@3", "R@3"),
        ("mrr", "MRR"),
        ("no_answer_rate", "no-ans"),
    ]
    width = 15 if base else 7
    header = f"{'group':<30} {'n':>4} " + " ".join(f"{label:>{width}}" for _, label in columns)
    lines = [header + ("   (ours / plain BM25)" if base else "")]

    def cell(value: Any, other: Any = None, with_other: bool = False) -> str:
        def f(v: Any) -> str:
            return "-" if v is None else f"{v:.3f}"

        return f"{f(value)} / {f(other)}" if with_other else f(value)

    for section in ("locales", "kinds"):
        for name, summary in data[section].items():
            theirs = base[section].get(name, {}) if base else {}
            cells = [
                f"{cell(summary[key], theirs.get(key), base is not None):>{width}}"
                for key, _ in columns
            ]
            lines.append(f"{name:<30} {summary['queries']:>4} " + " ".join(cells))
        lines.append("")
    return "\n".join(lines).rstrip()
