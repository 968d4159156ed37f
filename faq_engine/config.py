"""Every setting: its default, type and help text, read once and validated at start.

A setting is taken, in order, from the mapping given to ``create_app``, from the environment
variable of the same name, or from its default.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(value: Any) -> Path:
    return Path(value).expanduser()


def _positive(value: Any) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(f"must be 1 or more, not {number}")
    return number


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    parse: Callable[[Any], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "FAQ_CONTENT_DIR",
        PROJECT_ROOT / "content",
        _path,
        "Folder of articles laid out as <locale>/<id>.md.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        str,
        "SQLAlchemy URL of the database; default a SQLite file in the instance folder.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        str,
        "Key that signs sessions; a random one per start when unset (fine for one process).",
    ),
    Setting(
        "FAQ_DEFAULT_LOCALE",
        "en",
        str,
        "Locale used when neither the request nor Accept-Language names a served one.",
    ),
    Setting(
        "FAQ_STAFF_LOCALE",
        "en",
        str,
        "Language of the staff workspace.",
    ),
    Setting(
        "FAQ_SECURE_COOKIES",
        "1",
        str,
        "'1': session cookies only over HTTPS (browsers also send them to http://localhost).",
    ),
    Setting(
        "FAQ_FALLBACK_LOCALE",
        "en",
        str,
        "Locale whose article is served, marked fallback, when the requested one lacks it.",
    ),
    Setting(
        "FAQ_INSTANCE_DIR",
        PROJECT_ROOT / "instance",
        _path,
        "Flask instance folder (database, indexes); default 'instance' in the project.",
    ),
    Setting(
        "FAQ_INDEX_DIR",
        None,
        _path,
        "Folder of the search indexes; default index/<content folder key> in the instance folder.",
    ),
    Setting(
        "FAQ_MARKETS_FILE",
        Path(__file__).parent / "data" / "markets.yml",
        _path,
        "YAML file with the shop's markets: contact channels, opening hours, time zones.",
    ),
    Setting(
        "FAQ_CONTEXTS_FILE",
        Path(__file__).parent / "data" / "contexts.yml",
        _path,
        "YAML file with the context vocabulary and product categories.",
    ),
    Setting(
        "FAQ_ANSWER_CACHE",
        4096,
        int,
        "How many ranked answers to keep per content version (0 turns the cache off).",
    ),
    Setting(
        "FAQ_BIND",
        "127.0.0.1:8000",
        str,
        "Address the server listens on, HOST:PORT (faq-engine serve --bind).",
    ),
    Setting(
        "FAQ_WORKERS",
        os.cpu_count() or 1,
        _positive,
        "Worker processes of the server; default one per core (faq-engine serve --workers).",
    ),
    Setting(
        "FAQ_THREADS",
        1,
        _positive,
        "Threads per worker; more than 1 serves keep-alive connections (--threads).",
    ),
    Setting(
        "FAQ_TIMEOUT",
        30,
        _positive,
        "Seconds a request may take before its worker is restarted (--timeout).",
    ),
    Setting(
        "FAQ_GRACEFUL_TIMEOUT",
        30,
        _positive,
        "Seconds a stopping or restarting worker gets to finish its requests.",
    ),
    Setting(
        "FAQ_KEEPALIVE",
        5,
        int,
        "Seconds an idle keep-alive connection is kept open (with FAQ_THREADS above 1).",
    ),
    Setting(
        "FAQ_RELOAD_POLL",
        0.25,
        float,
        "Seconds between a worker's checks whether another process loaded new content.",
    ),
    Setting(
        "FAQ_CONTENT_SCAN",
        0.5,
        float,
        "Seconds between scans of the content folder for edited files (0: only publishes).",
    ),
    Setting(
        "FAQ_LOG_LEVEL",
        "info",
        str,
        "Level of the server's JSON logs: debug, info, warning or error.",
    ),
    Setting(
        "FAQ_TRUSTED_PROXIES",
        0,
        int,
        "Proxies or load balancers in front whose X-Forwarded-For/-Proto are trusted.",
    ),
    Setting(
        "FAQ_FRAME_ANCESTORS",
        "'none'",
        str,
        "CSP frame-ancestors of the help centre's pages, e.g. 'self' https://shop.example.",
    ),
    Setting(
        "FAQ_RATE_LIMIT_API",
        "20/second;600/minute",
        str,
        "Requests per client address to /api/v1 (';' between limits; empty: no limit).",
    ),
    Setting(
        "FAQ_RATE_LIMIT_FEEDBACK",
        "30/minute",
        str,
        "Feedback posts per client address, on top of the API's limit.",
    ),
    Setting(
        "FAQ_RATE_LIMIT_LOGIN",
        "10/minute",
        str,
        "Sign-in attempts per client address at /staff/login.",
    ),
    Setting(
        "FAQ_LOGIN_FAILURES",
        "5/15minutes",
        str,
        "Failed sign-ins per account before it is throttled for the rest of the window.",
    ),
    Setting(
        "FAQ_RATE_LIMIT_STORAGE",
        "memory://",
        str,
        "Where rate-limit counts live: memory:// (each worker counts alone) or redis://host.",
    ),
    Setting(
        "FAQ_EVENTS",
        "1",
        str,
        "'1': record searches, opened answers, feedback and contact clicks for the KPIs.",
    ),
    Setting(
        "FAQ_EVENT_RETENTION_DAYS",
        365,
        int,
        "Events older than this many days are deleted by 'faq-engine db purge'.",
    ),
    Setting(
        "FAQ_CORS_ORIGINS",
        "*",
        _str_list,
        "Origins allowed to call the public API, comma-separated; '*' allows any.",
    ),
)

_BY_KEY = {setting.key: setting for setting in SETTINGS}


def load_settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Resolve every setting; raise :class:`ConfigError` naming each bad key at once."""
    overrides = dict(overrides or {})
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in SETTINGS:
        if setting.key in overrides:
            raw = overrides.pop(setting.key)
        elif setting.key in os.environ:
            raw = os.environ[setting.key]
        else:
            values[setting.key] = setting.default
            continue
        try:
            values[setting.key] = None if raw is None else setting.parse(raw)
        except (TypeError, ValueError) as exc:
            problems.append(f"{setting.key}: {exc}")
    if problems:
        raise ConfigError(problems[0].split(":")[0], "; ".join(problems))
    values.update(overrides)  # Flask's own keys (TESTING, ...) pass through untouched
    return values


def enabled(value: Any) -> bool:
    """A yes/no setting: everything but '0', 'false', 'no', 'off' and '' is yes."""
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


def describe() -> list[tuple[str, str, str]]:
    """(key, default, help) of every setting, for ``faq-engine settings``."""
    return [(s.key, "" if s.default is None else str(s.default), s.help) for s in SETTINGS]


def resolve_paths(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the settings whose defaults live in the instance folder."""
    instance = Path(values["FAQ_INSTANCE_DIR"]).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    values["FAQ_INSTANCE_DIR"] = instance
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{instance / 'faq-engine.db'}"
    if not values.get("FAQ_INDEX_DIR"):
        # One index folder per content folder, so `eval --content X` leaves the served one be.
        content = str(Path(values["FAQ_CONTENT_DIR"]).resolve())
        key = hashlib.sha256(content.encode()).hexdigest()[:12]
        values["FAQ_INDEX_DIR"] = instance / "index" / key
    return values
