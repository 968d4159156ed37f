"""The ``faq-engine`` command: parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import describe, load_settings, resolve_paths


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if getattr(args, "content", None):
        overrides["FAQ_CONTENT_DIR"] = args.content
    return resolve_paths(load_settings(overrides))


def cmd_check(args: argparse.Namespace) -> int:
    from .content import load_content
    from .vocabulary import Vocabulary

    settings = _settings(args)
    content = load_content(
        Path(settings["FAQ_CONTENT_DIR"]), Vocabulary.load(settings["FAQ_CONTEXTS_FILE"])
    )
    for problem in content.problems:
        print(problem)
    count = sum(len(a) for a in content.articles.values())
    status = f"{len(content.problems)} problem(s)" if content.problems else "no problems"
    print(f"{count} articles in {len(content.articles)} locales; {status}", file=sys.stderr)
    return 1 if content.problems else 0


def cmd_index(args: argparse.Namespace) -> int:
    from .engine import engine_from_settings

    engine = engine_from_settings(_settings(args))
    if args.force:
        engine.reload(force=True)
    for locale in engine.locales:
        count = len(engine.articles(locale))
        print(f"{locale}: {count} articles indexed in {engine.index_dir / locale}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .engine import engine_from_settings
    from .evaluation import evaluate, format_report, read_cases

    cases, problems = read_cases(Path(args.queries))
    for problem in problems:
        print(problem, file=sys.stderr)
    engine = engine_from_settings(_settings(args))
    unknown = sorted({c.locale for c in cases} - set(engine.locales))
    for locale in unknown:
        print(
            f"{args.queries}: locale {locale!r} is not in the content; its queries are skipped",
            file=sys.stderr,
        )
    kept = [c for c in cases if c.locale not in unknown]
    report = evaluate(kept, engine.answers)
    baseline = None
    if args.baseline:
        from .baseline import Baseline

        baseline = evaluate(kept, Baseline(engine.content).answers)
    if args.json:
        data = report.to_dict()
        if baseline is not None:
            data["baseline"] = {k: v for k, v in baseline.to_dict().items() if k != "misses"}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, baseline))
        if args.misses:
            for miss in report.misses:
                print(json.dumps(miss, ensure_ascii=False))
    return 1 if problems else 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Fit the ranking weights, then the answer-or-not model, on judged queries."""
    from .engine import engine_from_settings
    from .evaluation import read_cases
    from .models import AnswerRequest
    from .search import answers as ranking_path
    from .search.calibration import DEFAULT_PATH, FEATURES, fit, with_threshold
    from .search.learning import Judged, fit_ranking, log_loss
    from .search.ranking import RANKING_PATH, WEIGHTS, vector

    engine = engine_from_settings(_settings(args))
    cases = []
    for path in args.queries:
        found, problems = read_cases(Path(path))
        for problem in problems:
            print(problem, file=sys.stderr)
        cases += [c for c in found if c.locale in engine.locales]
    requests = [(c, AnswerRequest(c.locale, c.q, c.context, c.category)) for c in cases]
    judged = []
    for case, request in requests:
        scored, _ = ranking_path.scored_candidates(
            request, engine.sources(case.locale), engine.vocabulary
        )
        ids = [s.article.id for s in scored]
        relevant = tuple(ids.index(e) for e in case.expect if e in ids)
        judged.append(Judged(tuple(vector(s.features) for s in scored), relevant))
    weights = fit_ranking(judged, WEIGHTS)
    print(
        f"ranking: {len(judged)} queries; loss {log_loss(judged, WEIGHTS):.3f} -> "
        f"{log_loss(judged, weights):.3f}",
        file=sys.stderr,
    )
    samples = []
    locales = []
    for case, request in requests:
        result = ranking_path.rank(
            request, engine.sources(case.locale), engine.vocabulary, weights=weights
        )
        if "probability" in result.decision:
            samples.append(({k: result.decision[k] for k in FEATURES}, bool(case.expect)))
            locales.append(case.locale)
    model = with_threshold(fit(samples), samples, locales, args.no_answer)
    correct = sum((model.probability(f) >= model.threshold) == label for f, label in samples)
    print(weights.to_json() + model.to_json(), end="")
    print(
        f"decision: {len(samples)} queries; {correct / max(1, len(samples)):.3f} decided right",
        file=sys.stderr,
    )
    if args.write:
        RANKING_PATH.write_text(weights.to_json(), encoding="utf-8")
        DEFAULT_PATH.write_text(model.to_json(), encoding="utf-8")
        print(f"written to {RANKING_PATH} and {DEFAULT_PATH}", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .web.bench import run

    queries = [json.loads(line) for line in Path(args.queries).read_text().splitlines() if line]
    report = run(_settings(args)["FAQ_CONTENT_DIR"], queries, args.articles, args.repeat)
    print(json.dumps(report, indent=2))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from . import create_app

    overrides = {"FAQ_CONTENT_DIR": args.content} if args.content else None
    if args.dev:
        create_app(overrides).run(host=args.host, port=args.port, debug=True)
        return 0
    from .server import run

    return run(
        overrides, bind=f"{args.host}:{args.port}", workers=args.workers, timeout=args.timeout
    )


def cmd_settings(args: argparse.Namespace) -> int:
    for key, default, text in describe():
        print(f"{key}\n    {text}\n    default: {default or '(none)'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="faq-engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def content_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--content", metavar="DIR", help="content folder (default: FAQ_CONTENT_DIR)")

    serve = commands.add_parser("serve", help="run the service")
    content_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--timeout", type=int, default=30, help="worker timeout in seconds")
    serve.add_argument("--dev", action="store_true", help="Flask's development server instead")
    serve.set_defaults(func=cmd_serve)

    check = commands.add_parser("check", help="validate the content; exit 1 on any problem")
    content_option(check)
    check.set_defaults(func=cmd_check)

    index = commands.add_parser("index", help="build the search indexes that are stale")
    content_option(index)
    index.add_argument("--force", action="store_true", help="rebuild every locale")
    index.set_defaults(func=cmd_index)

    ev = commands.add_parser("eval", help="score search quality on a JSON Lines query set")
    ev.add_argument("queries", metavar="QUERIES.jsonl")
    content_option(ev)
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    ev.add_argument("--misses", action="store_true", help="also list the queries ranked wrong")
    ev.add_argument(
        "--baseline",
        action="store_true",
        help="also score plain BM25 without language analysis, side by side",
    )
    ev.set_defaults(func=cmd_eval)

    calibrate = commands.add_parser(
        "calibrate",
        help="fit the ranking weights and the answer-or-not decision on query sets (JSON Lines)",
    )
    calibrate.add_argument("queries", nargs="+", metavar="QUERIES.jsonl")
    calibrate.add_argument(
        "--no-answer",
        type=float,
        default=0.8,
        metavar="RATE",
        help="the least share of unanswerable queries to decline, in every locale "
        "(the threshold is the lowest that reaches it; default 0.8)",
    )
    content_option(calibrate)
    calibrate.add_argument(
        "--write",
        action="store_true",
        help="store both in the package (faq_engine/data/ranking.json, calibration.json)",
    )
    calibrate.set_defaults(func=cmd_calibrate)

    bench = commands.add_parser("bench", help="time /api/v1/answers against a bare Flask route")
    content_option(bench)
    bench.add_argument(
        "--articles",
        type=int,
        default=10000,
        help="size of the generated corpus (0: demo content only)",
    )
    bench.add_argument(
        "--queries",
        default="tests/data/eval/sv.jsonl",
        help="JSON Lines queries to send (default: the Swedish development set)",
    )
    bench.add_argument("--repeat", type=int, default=2000, help="requests per measurement")
    bench.set_defaults(func=cmd_bench)

    settings = commands.add_parser("settings", help="list every setting with its help")
    settings.set_defaults(func=cmd_settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result
