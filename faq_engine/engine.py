"""One content folder made searchable: content, indexes and ranking wired together.

The web layer and the CLI hold an :class:`Engine` and nothing else of the core.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import index as indexing
from .analysis import analyzer_for
from .cache import LRU
from .content import ContentSet, load_content
from .errors import NotFound, UnknownLocale
from .models import Answer, AnswerRequest, AnswerResult, Article
from .search import Corpus, LocaleIndex, Sources, rank
from .search.corpus import Bridge
from .vocabulary import Vocabulary

log = logging.getLogger(__name__)


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


class Engine:
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
        self._snapshot = self._load()

    # -- loading ----------------------------------------------------------------------------

    def _load(self, force: bool = False) -> Snapshot:
        content = load_content(self.content_dir, self.vocabulary)
        indexes = {}
        english = content.articles.get(self.fallback_locale)
        shared = Bridge.of(analyzer_for(self.fallback_locale), english) if english else None
        for locale, by_id in content.articles.items():
            articles = list(by_id.values())
            folder = self.index_dir / locale
            bridge = shared if locale != self.fallback_locale else None
            corpus = Corpus(analyzer_for(locale), articles, content.synonyms.get(locale), bridge)
            stamp = indexing.fingerprint(locale, articles, corpus.bridged)
            opened = None if force else indexing.open_index(folder)
            if opened is None or opened[1].get("fingerprint") != stamp:
                if opened is not None:
                    opened[0].close()
                log.info("indexing %d articles of %r", len(articles), locale)
                indexing.build(folder, locale, articles, corpus.analyzer, corpus.bridged)
                opened = indexing.open_index(folder)
                if opened is None:
                    raise RuntimeError(f"the index of {locale!r} in {folder} cannot be opened")
            ix, pointer = opened
            indexes[locale] = LocaleIndex(locale, ix, corpus, pointer["generation"])
        fallback = indexes.get(self.fallback_locale)
        sources = {locale: Sources.of(index, fallback) for locale, index in indexes.items()}
        return Snapshot(content, indexes, sources, LRU(self.cache_size))

    def reload(self, force: bool = False) -> Snapshot:
        """Read the content folder again and rebuild the indexes that changed."""
        with self._lock:
            old = self._snapshot
            self._snapshot = self._load(force=force)
        for locale_index in old.indexes.values():
            if locale_index not in self._snapshot.indexes.values():
                locale_index.close()
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
