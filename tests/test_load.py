"""`faq-engine load` end to end, short: both servers started, driven by wrk, and stopped;
the figures come back with no errors and a publish timed on every worker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


def test_load_command_reports_ratio_p99_errors_and_publish_time(tmp_path):
    if shutil.which("wrk") is None:
        reason = "wrk is not installed (sh scripts/setup-tests.sh installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    queries = tmp_path / "queries.jsonl"
    lines = (ROOT / "tests" / "data" / "eval" / "sv.jsonl").read_text().splitlines()[:40]
    queries.write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "faq_engine", "load", "--queries", str(queries), "--json"]
        + ["--seconds", "2", "--steady", "4", "--publish-every", "1", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout)
    for part in ("bare", "answers", "steady"):
        assert report[part]["requests"] > 0 and report[part]["errors"] == 0, report[part]
        assert report[part]["p99_ms"] >= report[part]["median_ms"] > 0
    assert 0 < report["ratio"] == round(report["answers"]["rate"] / report["bare"]["rate"], 3)
    assert report["steady"]["target_rate"] == round(report["answers"]["rate"] * 0.8, 1)
    assert report["publish"]["publishes"] >= 1 and report["publish"]["failures"] == []
    assert 0 < report["publish"]["median_s"] <= report["publish"]["max_s"]
    assert report["server_errors_logged"] == 0
