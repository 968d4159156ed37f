"""Publishing an article from the staff workspace: atomic, with every earlier version kept.

The new text is written to a temporary file in the locale's folder and renamed over the
article, so a reader (or a crash) sees the old version or the new one, never half of one.
The version it replaces is copied first to ``content/_history/<locale>/<id>/<time>.md``
(folders starting with ``_`` are not articles).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

HISTORY = "_history"


@dataclass(frozen=True)
class Version:
    path: Path
    saved_at: dt.datetime


def article_path(content_dir: Path, locale: str, article_id: str) -> Path:
    return content_dir / locale / f"{article_id}.md"


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(content_dir: Path, locale: str, article_id: str, text: str) -> Path:
    """Write the article, keeping the version it replaces in the history."""
    path = article_path(content_dir, locale, article_id)
    if path.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        keep = content_dir / HISTORY / locale / article_id / f"{stamp}.md"
        write_atomically(keep, path.read_text(encoding="utf-8"))
    write_atomically(path, text if text.endswith("\n") else text + "\n")
    return path


def history(content_dir: Path, locale: str, article_id: str) -> list[Version]:
    """Earlier versions of an article, newest first."""
    folder = content_dir / HISTORY / locale / article_id
    versions = []
    for path in sorted(folder.glob("*.md"), reverse=True):
        try:
            moment = dt.datetime.strptime(path.stem, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        versions.append(Version(path, moment))
    return versions


def diff(old: str, new: str, old_name: str = "before", new_name: str = "after") -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    )
    return "".join(lines)
