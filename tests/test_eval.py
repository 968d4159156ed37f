"""Search quality on the development and held-out query sets, through `faq-engine eval`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "eval"
LOCALES = ("sv", "da", "pl", "nl")

# Floors: a little below the weakest locale and part today (the held-out sets were written
# by native-speaker passes that saw neither the articles nor the development queries), so a
# regression fails. The targets of the search-quality work are higher (recall@3 0.97, MRR
# 0.90, no-answer 0.75 on the held-out part).
FLOORS = {"recall@1": 0.86, "recall@3": 0.88, "mrr": 0.87, "no_answer_rate": 0.70}
# Per kind on the development part: no kind of query may collapse.
KIND_FLOORS = {"recall@3": 0.75, "no_answer_rate": 0.70}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    instance = tmp_path_factory.mktemp("instance")
    found = {}
    for name, path in (("dev", EVAL), ("heldout", EVAL / "heldout")):
        merged = tmp_path_factory.mktemp(name) / "all.jsonl"
        merged.write_text("".join((path / f"{loc}.jsonl").read_text() for loc in LOCALES))
        result = subprocess.run(
            [sys.executable, "-m", "faq_engine", "eval", str(merged), "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "FAQ_INSTANCE_DIR": str(instance)},
        )
        assert result.returncode == 0, result.stderr
        found[name] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_query_sets_are_big_enough_and_cover_every_topic(locale):
    import yaml

    topics = {
        t["id"]
        for t in yaml.safe_load((ROOT.parent / "shared/catalog/topics.yml").read_text())["topics"]
    }
    dev = [json.loads(line) for line in (EVAL / f"{locale}.jsonl").read_text().splitlines() if line]
    held = [
        json.loads(line)
        for line in (EVAL / "heldout" / f"{locale}.jsonl").read_text().splitlines()
        if line
    ]
    assert len(dev) >= 120 and len(held) >= 60
    assert topics <= {e for q in dev for e in q["expect"]}
    repeated = {q["q"].casefold() for q in dev} & {q["q"].casefold() for q in held}
    assert not repeated, f"held-out queries repeat dev ones: {sorted(repeated)}"
    for kind in ("typo", "no-diacritics", "compound", "vague", "no-answer", "brand", "english-mix"):
        assert any(q["kind"] == kind for q in dev), kind


@pytest.mark.parametrize("part", ["dev", "heldout"])
@pytest.mark.parametrize("locale", LOCALES)
def test_floors_per_locale(reports, part, locale):
    summary = reports[part]["locales"][locale]
    for metric, floor in FLOORS.items():
        assert summary[metric] >= floor, (part, locale, metric, summary[metric])


def test_floors_per_kind(reports):
    kinds = reports["dev"]["kinds"]
    assert {name.split("/")[1] for name in kinds} >= {"vague", "typo", "compound", "no-answer"}
    for name, summary in kinds.items():
        for metric, floor in KIND_FLOORS.items():
            if summary.get(metric) is not None:
                assert summary[metric] >= floor, (name, metric, summary[metric])


def test_a_foreign_collection_with_titles_and_bodies_only(tmp_path):
    """A library's FAQ: no questions, no tags, the general context, another domain."""
    foreign = ROOT / "tests" / "data" / "foreign"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "faq_engine",
            "eval",
            str(foreign / "queries.jsonl"),
            "--content",
            str(foreign),
            "--json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "FAQ_INSTANCE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["locales"]["sv"]
    assert summary["recall@1"] >= 0.78 and summary["recall@3"] >= 0.85
    assert summary["no_answer_rate"] >= 0.75


def test_bench_command_reports_ratios(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "faq_engine",
            "bench",
            "--articles",
            "300",
            "--repeat",
            "60",
            "--queries",
            str(EVAL / "pl.jsonl"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "FAQ_INSTANCE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for part in ("demo", "demo_cached", "generated"):
        assert report[part]["answers_median_ms"] > 0 and report[part]["ratio_median"] > 0
    assert report["generated"]["articles"] == 300
