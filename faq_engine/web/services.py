"""The services one app holds: reached through ``get_services()``, never module globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_limiter import Limiter

from ..analytics.recorder import Recorder
from ..engine import Engine
from ..i18n import Markets
from ..mining.redact import redact
from ..storage import Storage
from ..vocabulary import Vocabulary
from ..watch import Watcher


@dataclass
class Services:
    engine: Engine
    storage: Storage
    recorder: Recorder
    markets: Markets
    vocabulary: Vocabulary
    catalogs: dict[str, Any]
    settings: dict[str, Any]
    cache: dict[Any, Any] = field(default_factory=dict)  # derived data, keyed by its inputs
    limiter: Limiter | None = None
    watcher: Watcher | None = None  # started by the server, which keeps the content current
    redact: Callable[[str, str], str] = redact  # (text, locale) -> redacted; the app caches it


def get_services() -> Services:
    services: Services = current_app.extensions["faq_engine"]
    return services


def get_engine() -> Engine:
    return get_services().engine
