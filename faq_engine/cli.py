"""The ``faq-engine`` command: parses arguments, calls the library, prints."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PROJECT_ROOT, describe, load_settings, resolve_paths

if TYPE_CHECKING:
    from .storage import Storage

SAMPLE = PROJECT_ROOT / "samples" / "tickets.jsonl"  # a realistic export to try things on


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
    from .engine import Engine, engine_from_settings
    from .evaluation import read_cases
    from .models import AnswerRequest
    from .search import answers as ranking_path
    from .search.calibration import (
        DEFAULT_PATH,
        FEATURES,
        fit,
        titles_and_bodies,
        with_threshold,
    )
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

    def decided(answering: Engine) -> tuple[list[tuple[dict[str, float], bool]], list[str]]:
        """Each query's decision features as ``answering`` ranks it, and its locale."""
        samples: list[tuple[dict[str, float], bool]] = []
        locales: list[str] = []
        for case, request in requests:
            if case.locale not in answering.locales:
                continue
            result = ranking_path.rank(
                request, answering.sources(case.locale), answering.vocabulary, weights=weights
            )
            if "probability" in result.decision:
                samples.append(({k: result.decision[k] for k in FEATURES}, bool(case.expect)))
                locales.append(case.locale)
        return samples, locales

    own, locales = decided(engine)
    with tempfile.TemporaryDirectory(prefix="faq-calibrate-") as scratch:
        # The same articles stripped to titles and bodies, so the decision also holds for
        # collections that list no questions (see ``titles_and_bodies``).
        bare = Path(scratch) / "content"
        titles_and_bodies(engine.content_dir, bare)
        overrides = {"FAQ_CONTENT_DIR": str(bare), "FAQ_INDEX_DIR": str(Path(scratch) / "index")}
        stripped, _ = decided(engine_from_settings(resolve_paths(load_settings(overrides))))
    samples = own + stripped
    # Fitted on both, the threshold is set on the content as it is: the stripped copy is
    # harder than any real collection with the same articles.
    model = with_threshold(fit(samples), own, locales, args.no_answer)
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


def cmd_redact(args: argparse.Namespace) -> int:
    """Standard input to standard output, personal data replaced by typed placeholders."""
    from .mining.redact import redact

    if not args.jsonl:
        sys.stdout.write(redact(sys.stdin.read(), args.locale))
        return 0
    problems = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError("each line must be a JSON object with a 'text' string")
        except ValueError as exc:
            print(f"line {number}: {exc}", file=sys.stderr)
            problems += 1
            continue
        record["redacted"] = redact(record["text"], record.get("locale") or args.locale)
        print(json.dumps(record, ensure_ascii=False))
    return 1 if problems else 0


def cmd_tickets_import(args: argparse.Namespace) -> int:
    from .mining.tickets import import_file
    from .storage import Storage

    settings = _settings(args)
    storage = Storage(settings["DATABASE_URL"])
    mapping = dict(item.split("=", 1) for item in args.map or [] if "=" in item)
    shown = sys.stderr.isatty()

    def progress(rows: int) -> None:
        if shown:
            print(f"\r{rows:,} rows read", end="", file=sys.stderr, flush=True)

    try:
        summary = import_file(
            Path(args.file), args.format, storage, mapping, progress, workers=os.cpu_count() or 1
        )
    except (OSError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    if shown:
        print(file=sys.stderr)
    assert summary.rejected is not None and summary.by_locale is not None
    for rejected in summary.rejected:
        print(f"{args.file}: {rejected}", file=sys.stderr)
    locales = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_locale.items()))
    print(
        f"{summary.stored} tickets stored ({locales or 'none'}); "
        f"{len(summary.rejected)} rows rejected"
    )
    return 1 if summary.rejected else 0


def cmd_tickets_clusters(args: argparse.Namespace) -> int:
    from .engine import engine_from_settings
    from .mining.clusters import cluster_locales
    from .storage import Storage

    settings = _settings(args)
    engine = engine_from_settings(settings)
    by_locale: dict[str, list[Any]] = {}
    if args.source:
        from .mining.tickets import Rejected, read_tickets

        # Nothing is stored, so the requester hash is never kept: any key does.
        for found in read_tickets(Path(args.source), args.format, b"clusters-from-file"):
            if isinstance(found, Rejected):
                print(f"{args.source}: {found}", file=sys.stderr)
            else:
                by_locale.setdefault(found.locale, []).append(found)
    else:
        for ticket in Storage(settings["DATABASE_URL"]).iter_tickets(args.locale):
            by_locale.setdefault(ticket.locale, []).append(ticket)
    locales = []
    for locale, tickets in sorted(by_locale.items()):
        if args.locale and locale != args.locale:
            continue
        if locale not in engine.locales:
            print(
                f"no articles in {locale!r}: its {len(tickets)} tickets are left out",
                file=sys.stderr,
            )
            continue
        locales.append(locale)
    found_clusters = cluster_locales(
        locales, by_locale.__getitem__, engine.sources, engine.vocabulary, os.cpu_count() or 1
    )
    clusters = [c for locale in locales for c in found_clusters[locale]]
    clusters.sort(key=lambda c: (-c.size, c.locale, c.label))
    if args.json:
        print(json.dumps([c.to_dict() for c in clusters], ensure_ascii=False, indent=2))
    else:
        for c in clusters:
            covered = f"answered by {c.article}" if c.article else "GAP"
            print(f"{c.size:5d}  {c.locale}  {covered:32s}  {c.label}")
    return 0


def cmd_measure_redaction(args: argparse.Namespace) -> int:
    """Recall and keep-precision of the redactor on sets of messages with known answers."""
    from .mining.quality import redaction_scores
    from .mining.redact import redact

    records = [
        json.loads(line)
        for path in args.files
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    scores = redaction_scores(records, redact)
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    print(f"{'locale':8s}{'must go':>9s}{'recall':>9s}{'must stay':>11s}{'keep':>8s}")
    for locale, s in scores.items():
        print(
            f"{locale:8s}{s['must_go']:9.0f}{s['recall']:9.3f}"
            f"{s['must_stay']:11.0f}{s['keep_precision']:8.3f}"
        )
    return 0


def cmd_measure_clusters(args: argparse.Namespace) -> int:
    """V-measure of the ticket clusters against the ``topic`` each ticket is labelled with."""
    from .engine import engine_from_settings
    from .mining.clusters import cluster_tickets
    from .mining.quality import v_measure
    from .mining.tickets import Rejected, read_rows, read_tickets

    engine = engine_from_settings(_settings(args))
    print(
        f"{'locale':8s}{'tickets':>9s}{'clusters':>10s}{'homog.':>8s}{'compl.':>8s}{'V':>7s}"
        f"{'article':>9s}"
    )
    for path in args.files:
        labels = {
            str(f.get("id") or n): str(f.get("topic")) for n, f in read_rows(Path(path), "jsonl")
        }
        tickets = []
        for read in read_tickets(Path(path), "jsonl", b"measure"):
            if isinstance(read, Rejected):
                print(f"{path}: {read}", file=sys.stderr)
            else:
                tickets.append(read)
        for locale in sorted({t.locale for t in tickets}):
            mine = [t for t in tickets if t.locale == locale]
            found = cluster_tickets(mine, engine.sources(locale), engine.vocabulary)
            group = {tid: c.id for c in found for tid in c.tickets}
            ids = [t.id for t in mine]
            h, c, v = v_measure([labels[i] for i in ids], [group[i] for i in ids])
            # Where a ticket's topic is an article id, its group should be answered by that
            # article; where it is not (a gap), by none.
            article = {tid: c.article for c in found for tid in c.tickets}
            known = engine.content.articles.get(locale, {})
            right = sum(
                article[i] == (labels[i] if labels[i] in known else None) for i in ids
            ) / len(ids)
            print(f"{locale:8s}{len(mine):9d}{len(found):10d}{h:8.3f}{c:8.3f}{v:7.3f}{right:9.3f}")
    return 0


def cmd_tickets_generate(args: argparse.Namespace) -> int:
    from .mining.generate import generate, read_seeds

    seeds = read_seeds(Path(p) for p in args.seeds or [SAMPLE])
    with open(args.out, "w", encoding="utf-8") as out:
        for ticket in generate(seeds, args.count, args.seed):
            out.write(json.dumps(ticket, ensure_ascii=False) + "\n")
    print(f"{args.count} tickets written to {args.out}")
    return 0


def cmd_tickets_bench(args: argparse.Namespace) -> int:
    """Import and cluster a generated export of N tickets: seconds and peak memory."""
    import resource
    import tempfile
    import time

    from .engine import engine_from_settings
    from .mining.clusters import cluster_locales
    from .mining.generate import generate, read_seeds
    from .mining.tickets import import_file
    from .storage import Storage
    from .web.bench import MemorySampler

    engine = engine_from_settings(_settings(args))
    sampler = MemorySampler()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.jsonl"
        with export.open("w", encoding="utf-8") as out:
            for ticket in generate(read_seeds([SAMPLE]), args.tickets, seed=7):
                ticket.pop("topic", None)
                out.write(json.dumps(ticket, ensure_ascii=False) + "\n")
        storage = Storage(f"sqlite:///{tmp}/bench.db")
        workers = os.cpu_count() or 1
        start = time.perf_counter()
        summary = import_file(export, "jsonl", storage, workers=workers)
        imported = time.perf_counter() - start
        found = cluster_locales(
            ["sv", "da", "pl", "nl"],
            lambda locale: list(storage.iter_tickets(locale)),
            engine.sources,
            engine.vocabulary,
            workers,
        )
        sizes = {locale: len(clusters) for locale, clusters in found.items()}
        total = time.perf_counter() - start
        storage.dispose()
    sampler.stop()
    # This process and its largest worker at their peaks, each counting the pages they share.
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = {
        "tickets": args.tickets,
        "stored": summary.stored,
        "import_seconds": round(imported, 1),
        "cluster_seconds": round(total - imported, 1),
        "total_seconds": round(total, 1),
        "clusters": sizes,
        "workers": workers,
        "peak_memory_mb": {
            # proportional set size of this process and its workers together, sampled
            "all_processes_pss": round(sampler.peak_mb) if sampler.peak_mb else None,
            "main_rss": round(parent),
            "largest_worker_rss": round(child),
        },
    }
    print(json.dumps(report, indent=2))
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    """A staff member: the password from standard input (--password-stdin) or a prompt."""
    import getpass

    from werkzeug.security import generate_password_hash

    from .storage import Storage

    if "@" not in args.email:
        print(f"{args.email!r} is not an e-mail address", file=sys.stderr)
        return 2
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (12 characters or more): ")
    if len(password) < 12:
        print("the password must have 12 characters or more", file=sys.stderr)
        return 2
    storage = Storage(_settings(args)["DATABASE_URL"])
    storage.add_user(args.email, generate_password_hash(password), args.role)
    print(f"{args.email.strip().casefold()} can sign in to /staff as {args.role}")
    return 0


def _storage(args: argparse.Namespace, upgrade: bool = True) -> Storage:
    from .storage import Storage

    storage = Storage(args.url or _settings(args)["DATABASE_URL"], upgrade=upgrade)
    if storage.problem:
        raise SystemExit(f"the database cannot be reached: {storage.problem}")
    return storage


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .storage import migrate, revisions

    with _storage(args, upgrade=False) as storage:
        before = migrate(storage.engine, args.revision)
        now, _ = revisions(storage.engine)
    print(f"database at revision {now} (was {before or 'none'})")
    return 0


def cmd_db_purge(args: argparse.Namespace) -> int:
    import datetime as dt

    days = args.days if args.days is not None else _settings(args)["FAQ_EVENT_RETENTION_DAYS"]
    before = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with _storage(args) as storage:
        gone = storage.purge_events(before)
    print(f"{gone} events older than {days} days deleted (before {before:%Y-%m-%d %H:%M} UTC)")
    return 0


def cmd_db_demo(args: argparse.Namespace) -> int:
    """A month of events (and of tickets) for every market, on an empty events table."""
    from .engine import engine_from_settings
    from .i18n import Markets

    settings = _settings(args)
    with _storage(args) as storage:
        if storage.count_events() and not args.force:
            print("the database already holds events; --force adds the demo's too", file=sys.stderr)
            return 1
        engine = engine_from_settings(settings)
        markets = Markets.load(settings["FAQ_MARKETS_FILE"])
        _fill_demo(storage, engine, markets, args.days, args.scale, not args.no_tickets)
    return 0


def _fill_demo(
    storage: Storage, engine: Any, markets: Any, days: int, scale: float, tickets: bool
) -> None:
    import itertools
    import tempfile

    from .analytics.demo import demo_events, demo_tickets
    from .mining.tickets import import_file

    made = demo_events(engine, markets, days=days, scale=scale)
    stored = 0
    while batch := list(itertools.islice(made, 5000)):
        stored += storage.add_events(batch)
    print(f"{stored} events of {days} days stored")
    if tickets:
        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "tickets.jsonl"
            with export.open("w", encoding="utf-8") as out:
                for ticket in demo_tickets(markets, days=days):
                    out.write(json.dumps(ticket, ensure_ascii=False) + "\n")
            summary = import_file(export, "jsonl", storage, workers=os.cpu_count() or 1)
        print(f"{summary.stored} tickets of {days} days stored (redacted)")


def cmd_db_bench(args: argparse.Namespace) -> int:
    from .web.bench import dashboard_bench

    report = dashboard_bench(_settings(args), args.url, args.events, args.repeat)
    print(json.dumps(report, indent=2))
    return 0


def cmd_keys_add(args: argparse.Namespace) -> int:
    """A key for GET /api/v1/stats: printed once; only its hash is kept."""
    from .analytics.keys import hash_key, new_key

    key = new_key()
    with _storage(args) as storage:
        storage.add_api_key(args.name, hash_key(key))
    print(key)
    print(
        f"key {args.name!r} made: send it as 'Authorization: Bearer <key>'. It is not shown "
        "again; only its hash is stored.",
        file=sys.stderr,
    )
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    with _storage(args) as storage:
        rows = storage.api_key_rows()
    for row in rows:
        used = row["last_used_at"]
        print(f"{row['name']}\tmade {row['created_at']:%Y-%m-%d}\tlast used {used or 'never'}")
    return 0


def cmd_keys_remove(args: argparse.Namespace) -> int:
    with _storage(args) as storage:
        removed = storage.remove_api_key(args.name)
    if removed:
        print(f"key {args.name!r} removed")
        return 0
    print(f"no key named {args.name!r}", file=sys.stderr)
    return 1


def cmd_bench(args: argparse.Namespace) -> int:
    from .web.bench import run

    queries = [json.loads(line) for line in Path(args.queries).read_text().splitlines() if line]
    report = run(_settings(args)["FAQ_CONTENT_DIR"], queries, args.articles, args.repeat)
    print(json.dumps(report, indent=2))
    return 0


def _rates(turns: list[dict[str, float]]) -> str:
    return ", ".join(f"{turn['rate']:,.0f}" for turn in turns)


def cmd_load(args: argparse.Namespace) -> int:
    from .web.load import Plan, run

    queries: list[dict[str, Any]] = []
    for name in args.queries:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        queries += [json.loads(line) for line in lines if line.strip()]
    plan = Plan(
        seconds=args.seconds,
        steady_seconds=args.steady,
        share=args.share,
        connections=args.connections,
        max_requests=args.max_requests,
        publish_every=args.publish_every,
        turns=args.turns,
    )
    server = {"FAQ_WORKERS": args.workers, "FAQ_THREADS": args.threads}
    content = Path(args.content or _settings(args)["FAQ_CONTENT_DIR"])
    report = run(content, queries, plan, {k: v for k, v in server.items() if v})
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        bare, answers, steady, published = (
            report["bare"],
            report["answers"],
            report["steady"],
            report["publish"],
        )
        print(f"bare route        {bare['rate']:>9,.0f} req/s  p99 {bare['p99_ms']:.2f} ms")
        print(f"/api/v1/answers   {answers['rate']:>9,.0f} req/s  p99 {answers['p99_ms']:.2f} ms")
        print(
            f"ratio             {report['ratio']:.1%} of the bare route "
            f"(turns: {_rates(bare['turns'])} vs {_rates(answers['turns'])} req/s)"
        )
        print(
            f"steady {steady['seconds']:.0f} s at {steady['target_rate']:,.0f} req/s asked "
            f"({steady['connections']} connections, {steady['pause_ms']} ms apart): "
            f"{steady['rate']:,.0f} req/s, median {steady['median_ms']:.2f} ms, "
            f"p99 {steady['p99_ms']:.2f} ms, {steady['requests']:,} requests"
        )
        errors = bare["errors"] + answers["errors"] + steady["errors"]
        logged = report["server_errors_logged"]
        print(f"errors            {errors} (server errors logged: {logged})")
        print(
            f"publish to every worker: {published['publishes']} publishes, median "
            f"{published['median_s']} s, max {published['max_s']} s, "
            f"{len(published['failures'])} failed"
        )
    failed = report["bare"]["errors"] + report["answers"]["errors"] + report["steady"]["errors"]
    return 1 if failed or report["server_errors_logged"] or report["publish"]["failures"] else 0


def cmd_serve(args: argparse.Namespace) -> int:
    overrides: dict[str, Any] = {}
    if args.content:
        overrides["FAQ_CONTENT_DIR"] = args.content
    if args.host or args.port:
        host, _, port = str(load_settings()["FAQ_BIND"]).rpartition(":")
        overrides["FAQ_BIND"] = f"{args.host or host}:{args.port or port}"
    for key, value in (
        ("FAQ_BIND", args.bind),
        ("FAQ_WORKERS", args.workers),
        ("FAQ_THREADS", args.threads),
        ("FAQ_TIMEOUT", args.timeout),
    ):
        if value is not None:
            overrides[key] = value
    if args.dev:
        from . import create_app

        host, _, port = str(load_settings(overrides)["FAQ_BIND"]).rpartition(":")
        create_app(overrides).run(host=host, port=int(port), debug=True)
        return 0
    from .web.server import run

    return run(overrides)


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
    serve.add_argument("--bind", metavar="HOST:PORT", help="address (default: FAQ_BIND)")
    serve.add_argument("--host", help="host part of the address only")
    serve.add_argument("--port", type=int, help="port part of the address only")
    serve.add_argument("--workers", type=int, help="worker processes (default: FAQ_WORKERS)")
    serve.add_argument("--threads", type=int, help="threads per worker (default: FAQ_THREADS)")
    serve.add_argument("--timeout", type=int, help="worker timeout, seconds (FAQ_TIMEOUT)")
    serve.add_argument("--dev", action="store_true", help="Flask's development server instead")
    serve.set_defaults(func=cmd_serve)

    load = commands.add_parser(
        "load", help="throughput and p99 of /api/v1/answers under gunicorn vs a bare route"
    )
    content_option(load)
    load.add_argument(
        "--queries",
        nargs="+",
        default=[f"tests/data/eval/{loc}.jsonl" for loc in ("sv", "da", "pl", "nl")],
        help="JSON Lines queries sent in turn (default: the four development sets)",
    )
    load.add_argument("--seconds", type=float, default=10, help="each capacity run (10)")
    load.add_argument(
        "--turns", type=int, default=3, help="turns each capacity run is taken in, alternating (3)"
    )
    load.add_argument("--steady", type=float, default=60, help="the steady run (60 s)")
    load.add_argument("--share", type=float, default=0.8, help="of capacity, steady (0.8)")
    load.add_argument("--connections", type=int, default=8, help="open connections (8)")
    load.add_argument("--max-requests", type=int, default=2_000_000, help="per run")
    load.add_argument(
        "--publish-every", type=float, default=5, help="seconds between publishes, steady (5)"
    )
    load.add_argument("--workers", type=int, help="gunicorn workers (default: FAQ_WORKERS)")
    load.add_argument("--threads", type=int, help="threads per worker (FAQ_THREADS)")
    load.add_argument("--json", action="store_true", help="the whole report as JSON")
    load.set_defaults(func=cmd_load)

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
        default=0.75,
        metavar="RATE",
        help="the least share of unanswerable queries to decline, in every locale "
        "(the threshold is the lowest that reaches it; default 0.75)",
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

    redact = commands.add_parser(
        "redact", help="replace personal data in standard input with typed placeholders"
    )
    redact.add_argument("--locale", required=True, help="sv, da, pl, nl or en")
    redact.add_argument(
        "--jsonl", action="store_true", help="each line a JSON object; adds a 'redacted' field"
    )
    redact.set_defaults(func=cmd_redact)

    tickets = commands.add_parser("tickets", help="import past tickets; find recurring questions")
    ticket_commands = tickets.add_subparsers(dest="tickets_command", required=True)
    imports = ticket_commands.add_parser("import", help="store an export's tickets, redacted")
    imports.add_argument("file")
    imports.add_argument(
        "--format", required=True, choices=("jsonl", "csv", "zendesk", "freshdesk")
    )
    imports.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="for --format csv: which column holds id, subject, body, locale, created_at, "
        "channel, requester or status (repeat the option)",
    )
    imports.set_defaults(func=cmd_tickets_import)
    gen = ticket_commands.add_parser("generate", help="a ticket export made from seed tickets")
    gen.add_argument(
        "seeds", nargs="*", metavar="SEED.jsonl", help="default: samples/tickets.jsonl"
    )
    gen.add_argument("--count", type=int, default=1500)
    gen.add_argument("--out", required=True)
    gen.add_argument("--seed", type=int, default=1)
    gen.set_defaults(func=cmd_tickets_generate)
    tbench = ticket_commands.add_parser("bench", help="time import + clustering of N tickets")
    tbench.add_argument("--tickets", type=int, default=100_000)
    tbench.set_defaults(func=cmd_tickets_bench)
    clusters = ticket_commands.add_parser("clusters", help="the recurring questions")
    clusters.add_argument("--locale")
    clusters.add_argument("--from", dest="source", metavar="FILE", help="read an export instead")
    clusters.add_argument(
        "--format", default="jsonl", choices=("jsonl", "csv", "zendesk", "freshdesk")
    )
    clusters.add_argument("--json", action="store_true")
    clusters.set_defaults(func=cmd_tickets_clusters)

    users = commands.add_parser("users", help="staff who may sign in to /staff")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    add = user_commands.add_parser("add", help="add a staff member (or set a new password)")
    add.add_argument("email")
    add.add_argument("--role", choices=("editor", "admin"), default="editor")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=cmd_users_add)

    measure = commands.add_parser("measure", help="redaction and clustering quality on test sets")
    measures = measure.add_subparsers(dest="measure_command", required=True)
    red = measures.add_parser("redaction", help="recall and keep-precision per locale")
    red.add_argument("files", nargs="+", metavar="SET.jsonl")
    red.add_argument("--json", action="store_true")
    red.set_defaults(func=cmd_measure_redaction)
    cl = measures.add_parser("clusters", help="V-measure against labelled tickets per locale")
    cl.add_argument("files", nargs="+", metavar="TICKETS.jsonl")
    cl.add_argument("--content", help="content folder (default: FAQ_CONTENT_DIR)")
    cl.set_defaults(func=cmd_measure_clusters)

    db = commands.add_parser("db", help="the database: migrations, retention, demo data")
    db_commands = db.add_subparsers(dest="db_command", required=True)

    def url_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--url", help="SQLAlchemy URL (default: DATABASE_URL)")

    upgrade = db_commands.add_parser("upgrade", help="apply the migrations (also done at start)")
    url_option(upgrade)
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(func=cmd_db_upgrade)
    purge = db_commands.add_parser("purge", help="delete events older than the retention")
    url_option(purge)
    purge.add_argument(
        "--days", type=int, help="keep this many days (default: FAQ_EVENT_RETENTION_DAYS)"
    )
    purge.set_defaults(func=cmd_db_purge)
    demo = db_commands.add_parser("demo", help="fill the database with a month of demo data")
    url_option(demo)
    content_option(demo)
    demo.add_argument("--days", type=int, default=30)
    demo.add_argument(
        "--scale", type=float, default=1.0, help="1: about 70,000 events a month (4 markets)"
    )
    demo.add_argument("--no-tickets", action="store_true", help="events only")
    demo.add_argument("--force", action="store_true", help="even when events are there")
    demo.set_defaults(func=cmd_db_demo)
    dbench = db_commands.add_parser("bench", help="time the dashboard on N demo events")
    dbench.add_argument(
        "--url", help="an empty database to fill (default: a temporary SQLite file)"
    )
    dbench.add_argument("--events", type=int, default=1_000_000)
    dbench.add_argument("--repeat", type=int, default=3, help="timed runs (the median counts)")
    dbench.set_defaults(func=cmd_db_bench)

    keys = commands.add_parser("keys", help="API keys for GET /api/v1/stats")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    kadd = key_commands.add_parser("add", help="make a key; it is printed once")
    kadd.add_argument("name")
    url_option(kadd)
    kadd.set_defaults(func=cmd_keys_add)
    klist = key_commands.add_parser("list", help="the keys' names and when they were used")
    url_option(klist)
    klist.set_defaults(func=cmd_keys_list)
    kremove = key_commands.add_parser("remove", help="revoke a key")
    kremove.add_argument("name")
    url_option(kremove)
    kremove.set_defaults(func=cmd_keys_remove)

    settings = commands.add_parser("settings", help="list every setting with its help")
    settings.set_defaults(func=cmd_settings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result
