"""One content folder made searchable: content, indexes and ranking wired together.

The web layer and the CLI hold an :class:`Engine` and nothing else of the core.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import index as indexing
from . import locks
from .analysis import analyzer_for
from .cache import LRU
from .content import ContentSet, load_content, state
from .content.loader import LoadCache
from .content.publish import write_atomically
from .errors import NotFound, UnknownLocale
from .models import Answer, AnswerRequest, AnswerResult, Article
from .search import Corpus, LocaleIndex, Sources, rank
from .search.corpus import Bridge
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)


STAMP = "content.json"  # in the index folder: the content version whose indexes are built


@dataclass(frozen=True)
class Built:
    """One locale's open index and what it was built from, to reuse while those hold."""

    index: LocaleIndex
    articles: tuple[Article, ...]
    synonyms: tuple[tuple[str, ...], ...]
    bridge: Bridge | None


@dataclass(frozen=True)
class Snapshot:
    """Everything one request reads, swapped whole when content changes.

    The answer cache lives here, so a reindex starts it empty: no answer outlives the
    content it was ranked on.
    """

    content: ContentSet
    indexes: dict[str, LocaleIndex]
    sources: dict[str, Sources]  # per locale: its index and the fallback's missing articles
    answers: LRU[AnswerResult]
    signature: str = ""  # the state of the content folder it was loaded from
    loaded_at: float = 0.0
    built: dict[str, Built] = field(default_factory=dict)
    bridge: Bridge | None = None


class Engine:
    """The content of one folder, searchable, kept current across the processes serving it.

    Every process loads the folder itself; the indexes are built by one process at a time
    (a lock in the index folder) and only when their content changed. After a load, the
    content's signature is written to a stamp in the index folder: other processes serving
    the same folder check it cheaply (:meth:`refresh`) and load the new version, opening the
    indexes already built. A request always reads one whole snapshot, old or new.
    """

    def __init__(
        self,
        content_dir: Path,
        index_dir: Path,
        vocabulary: Vocabulary,
        fallback_locale: str = "en",
        cache_size: int = 4096,
    ) -> None:
        self.content_dir = Path(content_dir)
        self.index_dir = Path(index_dir)
        self.vocabulary = vocabulary
        self.fallback_locale = fallback_locale
        self.cache_size = cache_size
        self._lock = threading.Lock()
        self._files = LoadCache()
        self._stamp_seen: tuple[tuple[int, int], str] | None = None
        self._snapshot = self._load(None)

    # -- loading ----------------------------------------------------------------------------

    def _load(self, previous: Snapshot | None, force: bool = False) -> Snapshot:
        signature = state.signature(self.content_dir)
        content = load_content(self.content_dir, self.vocabulary, self._files)
        bridge = self._bridge(content, None if force else previous)
        built = {
            locale: self._locale(
                locale,
                tuple(by_id.values()),
                tuple(content.synonyms.get(locale) or ()),
                bridge if locale != self.fallback_locale else None,
                None if previous is None else previous.built.get(locale),
                force,
            )
            for locale, by_id in content.articles.items()
        }
        indexes = {locale: b.index for locale, b in built.items()}
        fallback = indexes.get(self.fallback_locale)
        sources = {locale: Sources.of(index, fallback) for locale, index in indexes.items()}
        snapshot = Snapshot(
            content,
            indexes,
            sources,
            LRU(self.cache_size),
            signature,
            time.time(),
            built,
            bridge,
        )
        if self._read_stamp() != signature:
            self._write_stamp(signature)
        return snapshot

    def _bridge(self, content: ContentSet, previous: Snapshot | None) -> Bridge | None:
        """The fallback locale's articles analysed, reused while they are unchanged."""
        english = content.articles.get(self.fallback_locale)
        if not english:
            return None
        if previous is not None and previous.content.articles.get(self.fallback_locale) == english:
            return previous.bridge
        return Bridge.of(analyzer_for(self.fallback_locale), english)

    def _locale(
        self,
        locale: str,
        articles: tuple[Article, ...],
        synonyms: tuple[tuple[str, ...], ...],
        bridge: Bridge | None,
        previous: Built | None,
        force: bool,
    ) -> Built:
        """One locale's index: the previous one while its inputs are the same, else opened
        when another process built it already, else built (by one process at a time)."""
        same = previous and (previous.articles, previous.synonyms, previous.bridge) == (
            articles,
            synonyms,
            bridge,
        )
        if previous and same and not force:
            return previous
        corpus = Corpus(
            analyzer_for(locale),
            list(articles),
            list(synonyms),
            bridge,
            previous.index.corpus if previous else None,
        )
        folder = self.index_dir / locale
        stamp = indexing.fingerprint(locale, articles, corpus.bridged)
        index = None if force else _open(folder, locale, corpus, stamp)
        if index is None:
            with locks.exclusive(self.index_dir / ".build.lock"):
                # Another process may have built it while this one waited.
                index = None if force else _open(folder, locale, corpus, stamp)
                if index is None:
                    log.info("indexing %d articles of %r", len(articles), locale)
                    indexing.build(folder, locale, list(articles), corpus.analyzer, corpus.bridged)
                    index = _open(folder, locale, corpus, stamp)
            if index is None:
                raise RuntimeError(f"the index of {locale!r} in {folder} cannot be opened")
        return Built(index, articles, synonyms, bridge)

    def reload(self, force: bool = False) -> Snapshot:
        """Read the content folder again; rebuild the indexes whose content changed."""
        with self._lock:
            old = self._snapshot
            self._snapshot = self._load(old, force=force)
        kept = set(map(id, self._snapshot.indexes.values()))
        for locale_index in old.indexes.values():
            if id(locale_index) not in kept:
                locale_index.close()
        return self._snapshot

    def refresh(self, scan: bool = True) -> bool:
        """Load the content again if it changed; True when it did.

        Cheap when nothing changed: a ``stat`` of the stamp another process writes after it
        loaded new content and, with ``scan``, one ``stat`` per content file (edits made on
        disk, a ``git pull``, a publish by another machine on a shared folder).
        """
        mine = self._snapshot.signature
        if self._read_stamp() == mine and not scan:
            return False
        if state.signature(self.content_dir) != mine:
            self.reload()
            return True
        return False

    # -- the stamp ---------------------------------------------------------------------------

    def _read_stamp(self) -> str | None:
        path = self.index_dir / STAMP
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_ino)
            if self._stamp_seen is not None and self._stamp_seen[0] == key:
                return self._stamp_seen[1]
            value = str(json.loads(path.read_text(encoding="utf-8"))["signature"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self._stamp_seen = (key, value)
        return value

    def _write_stamp(self, signature: str) -> None:
        record = {"signature": signature, "pid": os.getpid(), "at": time.time()}
        write_atomically(self.index_dir / STAMP, json.dumps(record))

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    # -- reading ----------------------------------------------------------------------------

    @property
    def content(self) -> ContentSet:
        return self._snapshot.content

    @property
    def locales(self) -> list[str]:
        return self._snapshot.content.locales

    def check_locale(self, locale: str, field: str = "locale") -> str:
        if locale not in self._snapshot.content.articles:
            raise UnknownLocale(locale, field)
        return locale

    def sources(self, locale: str) -> Sources:
        """Where ``locale``'s answers come from in the current content version."""
        return self._snapshot.sources[self.check_locale(locale)]

    def answers(self, request: AnswerRequest) -> AnswerResult:
        snapshot = self._snapshot
        self.check_locale(request.locale)
        sources = snapshot.sources[request.locale]
        return snapshot.answers.get(request, lambda: rank(request, sources, self.vocabulary))

    def article(self, locale: str, article_id: str) -> Answer:
        """The article in ``locale``, else in the fallback locale (marked), else NotFound."""
        content = self._snapshot.content
        self.check_locale(locale)
        found = content.get(locale, article_id)
        if found is not None:
            return Answer(found, 0.0)
        fallback = content.get(self.fallback_locale, article_id)
        if fallback is not None:
            return Answer(fallback, 0.0, fallback=True)
        raise NotFound("article_not_found", f"No article {article_id!r} in {locale!r}.", "id")

    def articles(self, locale: str) -> list[Article]:
        self.check_locale(locale)
        return list(self._snapshot.content.articles[locale].values())


def engine_from_settings(settings: dict[str, Any]) -> Engine:
    """The engine the settings describe; the web app and the CLI both build it here."""
    return Engine(
        settings["FAQ_CONTENT_DIR"],
        settings["FAQ_INDEX_DIR"],
        Vocabulary.load(settings["FAQ_CONTEXTS_FILE"]),
        fallback_locale=settings["FAQ_FALLBACK_LOCALE"],
        cache_size=settings["FAQ_ANSWER_CACHE"],
    )


def _open(folder: Path, locale: str, corpus: Corpus, stamp: str) -> LocaleIndex | None:
    """The built index of ``folder`` when it holds exactly this content and reads whole.

    A missing, stale or damaged index (a crash, a full disk, a file changed by hand) gives
    None, and the caller builds it again.
    """
    opened = indexing.open_index(folder)
    if opened is None:
        return None
    ix, pointer = opened
    if pointer.get("fingerprint") != stamp:
        ix.close()
        return None
    try:
        return LocaleIndex(locale, ix, corpus, pointer["generation"])
    except Exception:  # noqa: BLE001 - whatever Whoosh raises on a damaged file
        log.warning("the index of %r in %s is damaged; it is built again", locale, folder)
        ix.close()
        return None
