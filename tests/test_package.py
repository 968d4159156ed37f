"""The package itself: imports cleanly, keeps Flask out of the core."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "faq_engine"
NOT_CORE = {"web", "cli.py", "__init__.py", "__main__.py", "server.py"}


def test_imports_with_warnings_as_errors():
    code = (
        "import faq_engine, whoosh, whoosh.index, whoosh.lang, whoosh.qparser;"
        "from faq_engine import create_app;"
        "from faq_engine.analysis import analyzer_for;"
        "[analyzer_for(l).terms('Leveransen är försenad') for l in ('sv','da','pl','nl','en')]"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_whoosh_fork_is_the_pinned_one():
    from importlib.metadata import version

    assert version("whoosh-reloaded") == "2.7.5"


def test_core_never_imports_flask():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in NOT_CORE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{relative}: {n}" for n in names if n.split(".")[0] in {"flask", "werkzeug"}
            ]
    assert offenders == []


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "faq_engine", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    for command in ("serve", "check", "eval", "index"):
        assert command in result.stdout
