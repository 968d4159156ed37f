"""Redaction and recurring questions on held-out sets written blind (by native-speaker passes
that saw neither the code nor the development sets), through the contract's commands.

The floors sit a little below today's figures so that a regression fails; the targets of the
work are higher (recall 0.99 and keep-precision 0.98).
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

HELD = {
    "redaction": ROOT / "tests/data/redaction/heldout",
    "clusters": ROOT / "tests/data/tickets/heldout",
}
LOCALES = ("da", "nl", "pl", "sv")


def measure(what: str, tmp_path) -> dict[str, list[float]]:
    files = [str(HELD[what] / f"{locale}.jsonl") for locale in LOCALES]
    result = subprocess.run(
        [sys.executable, "-m", "faq_engine", "measure", what, *files],
        capture_output=True,
        text=True,
        env={**os.environ, "FAQ_INSTANCE_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:] if line.strip()]
    return {row[0]: [float(v) for v in row[1:]] for row in rows}


def test_held_out_redaction_floors(tmp_path):
    table = measure("redaction", tmp_path)
    assert set(table) == set(LOCALES)
    for locale, (_, recall, _, keep) in table.items():
        assert recall >= 0.90 and keep >= 0.93, (locale, recall, keep)


def test_held_out_cluster_floors(tmp_path):
    table = measure("clusters", tmp_path)
    assert set(table) == set(LOCALES)
    for locale, (_, _, homogeneity, _, v, article) in table.items():
        assert homogeneity >= 0.9 and v >= 0.8 and article >= 0.65, (locale, v, article)
