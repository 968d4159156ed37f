"""Load every article of a content folder; collect problems instead of stopping at the first."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.synonyms import load_synonyms
from ..errors import Problem
from ..models import Article
from ..vocabulary import Vocabulary
from . import render as rendering
from .frontmatter import FrontMatterError, Parsed, parse

ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")
LIST_FIELDS = ("contexts", "categories", "questions", "tags")


@dataclass
class ContentSet:
    """What a content folder holds: the servable articles per locale, and every problem."""

    root: Path
    articles: dict[str, dict[str, Article]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    synonyms: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @property
    def locales(self) -> list[str]:
        return sorted(self.articles)

    def get(self, locale: str, article_id: str) -> Article | None:
        return self.articles.get(locale, {}).get(article_id)


@dataclass
class _Draft:
    """An article that parsed, before its links are checked and its body rendered."""

    path: Path
    shown: str
    parsed: Parsed
    fields: dict[str, Any]


FileKey = tuple[int, int, int]  # size, modification time, inode


@dataclass
class LoadCache:
    """What earlier loads of a folder worked out per file, reused while the file is unchanged.

    A reload after one article changed then parses and renders that article alone. An
    article's rendering also depends on which of the articles it links to exist, so that is
    part of its key.
    """

    read: dict[Path, tuple[FileKey, _Draft | None, list[Problem]]] = field(default_factory=dict)
    built: dict[Path, tuple[FileKey, tuple[bool, ...], Article, list[Problem]]] = field(
        default_factory=dict
    )
    synonyms: dict[Path, tuple[FileKey, list[tuple[str, ...]], list[Problem]]] = field(
        default_factory=dict
    )

    def keep_only(self, paths: set[Path]) -> None:
        self.read = {p: v for p, v in self.read.items() if p in paths}
        self.built = {p: v for p, v in self.built.items() if p in paths}
        self.synonyms = {p: v for p, v in self.synonyms.items() if p in paths}


def _key(path: Path) -> FileKey:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def content_files(root: Path) -> list[Path]:
    """The article files of a content folder, in a stable order."""
    if not root.is_dir():
        return []
    return sorted(
        path
        for folder in root.iterdir()
        if folder.is_dir() and not folder.name.startswith(("_", "."))
        for path in folder.glob("*.md")
    )


def load_content(root: Path, vocabulary: Vocabulary, cache: LoadCache | None = None) -> ContentSet:
    """Every article of ``root``; with a ``cache``, unchanged files are not read again."""
    cache = cache if cache is not None else LoadCache()
    content = ContentSet(root=root)
    if not root.is_dir():
        content.problems.append(Problem(str(root), 0, "content folder does not exist"))
        return content
    drafts: dict[str, dict[str, _Draft]] = {}
    seen: set[Path] = set()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name.startswith(("_", ".")):
            continue
        if not LOCALE_PATTERN.match(folder.name):
            content.problems.append(
                Problem(_shown(folder, root), 0, "folder name is not a locale such as 'sv'")
            )
            continue
        drafts[folder.name] = {}
        for path in sorted(folder.glob("*.md")):
            seen.add(path)
            draft = _read_cached(path, _shown(path, root), vocabulary, content.problems, cache)
            if draft:
                drafts[folder.name][path.stem] = draft
    for locale, by_id in drafts.items():
        _check_duplicate_questions(by_id, content.problems)
        content.articles[locale] = {
            article_id: _build_cached(locale, article_id, draft, by_id, content.problems, cache)
            for article_id, draft in by_id.items()
        }
    seen |= _load_synonyms(root, content, cache)
    content.problems.sort(key=lambda p: (p.path, p.line))
    cache.keep_only(seen)
    return content


def _load_synonyms(root: Path, content: ContentSet, cache: LoadCache) -> set[Path]:
    """``_synonyms/<locale>.yml`` into ``content``; the files read."""
    folder = root / "_synonyms"
    read: set[Path] = set()
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix != ".yml" or not LOCALE_PATTERN.match(path.stem):
            content.problems.append(
                Problem(_shown(path, root), 0, "expected <locale>.yml, e.g. sv.yml")
            )
            continue
        try:
            key = _key(path)
        except OSError:
            continue
        read.add(path)
        found = cache.synonyms.get(path)
        if found is None or found[0] != key:
            found = (key, *load_synonyms(path, _shown(path, root)))
            cache.synonyms[path] = found
        content.synonyms[path.stem] = found[1]
        content.problems.extend(found[2])
    return read


def _shown(path: Path, root: Path) -> str:
    """The path as problems show it: relative to the content folder's parent when possible."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def check_article(text: str, article_id: str, shown: str, vocabulary: Vocabulary) -> list[Problem]:
    """Every problem ``faq-engine check`` would report for this article's text (the staff
    editor validates drafts with it before anything is written)."""
    problems: list[Problem] = []
    draft = _checked(text, Path(f"{article_id}.md"), shown, vocabulary, problems)
    if draft is not None:
        _check_duplicate_questions({article_id: draft}, problems)
    return problems


def _read_cached(
    path: Path, shown: str, vocabulary: Vocabulary, problems: list[Problem], cache: LoadCache
) -> _Draft | None:
    try:
        key = _key(path)
    except OSError:  # removed since the folder was listed
        return None
    found = cache.read.get(path)
    if found is None or found[0] != key:
        own: list[Problem] = []
        found = (key, _read(path, shown, vocabulary, own), own)
        cache.read[path] = found
    problems.extend(found[2])
    return found[1]


def _read(path: Path, shown: str, vocabulary: Vocabulary, problems: list[Problem]) -> _Draft | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    except OSError as exc:
        problems.append(Problem(shown, 0, f"cannot be read: {exc.strerror}"))
        return None
    return _checked(text, path, shown, vocabulary, problems)


def _checked(
    text: str, path: Path, shown: str, vocabulary: Vocabulary, problems: list[Problem]
) -> _Draft | None:
    def report(line: int, message: str) -> None:
        problems.append(Problem(shown, line, message))

    if not ID_PATTERN.match(path.stem):
        report(1, f"file name {path.name!r} is not a valid id: use a-z, 0-9 and '-'")
        return None
    try:
        parsed = parse(text)
    except FrontMatterError as exc:
        report(exc.line, exc.message)
        return None
    meta, line_of = parsed.meta, parsed.lines
    broken = False

    def fail(key: str, message: str, line: int | None = None) -> None:
        nonlocal broken
        broken = True
        report(line or line_of.get(key, 1), message)

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("title", "title missing" if title is None else "title must be non-empty text")
    if "id" in meta and str(meta["id"]) != path.stem:
        fail("id", f"id {meta['id']!r} does not match the file name {path.stem!r}")
    fields: dict[str, Any] = {}
    for key in LIST_FIELDS:
        value = meta.get(key, ["general"] if key == "contexts" else [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(key, f"{key} must be a list of texts")
            value = []
        fields[key] = tuple(v.strip() for v in value)
    if not fields["contexts"] and "contexts" in meta:
        fail("contexts", "contexts is empty: leave it out for [general]")
    for key, known, what in (
        ("contexts", vocabulary.contexts, "context"),
        ("categories", vocabulary.categories, "category"),
    ):
        item_lines = parsed.item_lines.get(key, [])
        for number, value in enumerate(fields[key]):
            if value not in known:
                line = item_lines[number] if number < len(item_lines) else None
                fail(key, f"unknown {what} {value!r}; known: {', '.join(known)}", line)
    updated = meta.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        try:
            updated = dt.date.fromisoformat(str(updated))
        except ValueError:
            fail("updated", f"updated {updated!r} is not a date like 2026-11-20")
    fields["updated"] = updated
    fields["source"] = None if meta.get("source") is None else str(meta["source"])
    if not parsed.body.strip():
        report(parsed.body_line, "the article has no body")
        broken = True
    if broken:
        return None
    fields["title"] = title.strip()  # type: ignore[union-attr]
    return _Draft(path, shown, parsed, fields)


def _check_duplicate_questions(by_id: dict[str, _Draft], problems: list[Problem]) -> None:
    """A phrasing may belong to one article only, and appear once in it."""
    seen: dict[str, str] = {}
    for article_id, draft in by_id.items():
        phrasings = [(draft.parsed.lines.get("title", 1), draft.fields["title"])]
        item_lines = draft.parsed.item_lines.get("questions", [])
        phrasings += [
            (item_lines[n] if n < len(item_lines) else 1, q)
            for n, q in enumerate(draft.fields["questions"])
        ]
        for line, phrasing in phrasings:
            key = _phrasing_key(phrasing)
            if key in seen:
                other = seen[key]
                where = "earlier in this article" if other == article_id else f"in {other!r}"
                problems.append(
                    Problem(draft.shown, line, f"duplicate question {phrasing!r}: also {where}")
                )
            else:
                seen[key] = article_id


def _phrasing_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _build_cached(
    locale: str,
    article_id: str,
    draft: _Draft,
    by_id: dict[str, _Draft],
    problems: list[Problem],
    cache: LoadCache,
) -> Article:
    key = cache.read[draft.path][0]
    links = tuple(target in by_id for _, target in rendering.article_links(draft.parsed.body))
    found = cache.built.get(draft.path)
    if found is None or found[:2] != (key, links):
        own: list[Problem] = []
        found = (key, links, _build(locale, article_id, draft, by_id, own), own)
        cache.built[draft.path] = found
    problems.extend(found[3])
    return found[2]


def _build(
    locale: str, article_id: str, draft: _Draft, by_id: dict[str, _Draft], problems: list[Problem]
) -> Article:
    for number, target in rendering.article_links(draft.parsed.body):
        if target not in by_id:
            problems.append(
                Problem(
                    draft.shown,
                    draft.parsed.body_line + number,
                    f"link to {target}.md: no such article in {locale!r}",
                )
            )
    html = rendering.render(
        draft.parsed.body, lambda target: f"/{locale}/help/{target}" if target in by_id else None
    )
    fields = draft.fields
    return Article(
        id=article_id,
        locale=locale,
        title=fields["title"],
        body=draft.parsed.body,
        html=html,
        text=rendering.plain_text(html),
        contexts=fields["contexts"],
        categories=fields["categories"],
        questions=fields["questions"],
        tags=fields["tags"],
        updated=fields["updated"],
        source=fields["source"],
        path=str(draft.path),
    )
