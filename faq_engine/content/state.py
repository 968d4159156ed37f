"""The state of a content folder as one short string that changes whenever a file does.

Built from each file's name, size, modification time and inode (an atomic rename gives a new
inode), so a poll costs one ``stat`` per file and reads nothing; a file added or removed
changes the list of names. The history kept by
publishing (``_history``), hidden files and temporary files of a write in progress are left
out: they are not content.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .publish import HISTORY

WATCHED = (".md", ".yml", ".yaml")


def signature(root: Path) -> str:
    digest = hashlib.sha256()
    for name, stat in sorted(_files(Path(root))):
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return digest.hexdigest()[:24]


def _files(root: Path) -> list[tuple[str, os.stat_result]]:
    found: list[tuple[str, os.stat_result]] = []
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:  # vanished or unreadable: the loader reports it
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name == HISTORY:
                continue
            name = prefix + entry.name
            try:
                if entry.is_dir():
                    pending.append((Path(entry.path), name + "/"))
                elif entry.name.endswith(WATCHED):
                    found.append((name, entry.stat()))
            except OSError:
                continue
    return found
