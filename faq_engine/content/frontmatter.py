"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Parsed:
    meta: dict[str, Any]
    body: str
    body_line: int  # file line number of the body's first line
    lines: dict[str, int]  # front-matter key → file line number
    item_lines: dict[str, list[int]]  # list-valued key → file line of each item


def parse(text: str) -> Parsed:
    """Parse ``---`` front matter; raise :class:`FrontMatterError` with the file line."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(1, "front matter missing: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FrontMatterError(1, "front matter not closed: no second '---' line") from None
    source = "\n".join(lines[1:end])
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 1
        raise FrontMatterError(line, f"bad YAML: {exc.problem or exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(2, "front matter must be a mapping of keys to values")
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    body = "\n".join(lines[end + 1 :])
    return Parsed({str(k): v for k, v in meta.items()}, body, end + 2, key_lines, item_lines)


def compose(fields: dict[str, Any], body: str) -> str:
    """A Markdown file from front-matter fields (empty ones left out) and a body."""
    front = {k: v for k, v in fields.items() if v not in (None, [], "")}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body
