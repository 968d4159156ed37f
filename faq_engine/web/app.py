"""The application factory."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from ..analytics.recorder import Recorder
from ..cache import LRU
from ..config import PROJECT_ROOT, enabled, load_settings, resolve_paths
from ..engine import engine_from_settings
from ..i18n import Markets, load_catalogs
from ..mining.redact import redact
from ..storage import Storage
from . import (
    api,
    dashboard,  # noqa: F401 - its pages join the staff blueprint
    demo,
    errors,
    health,
    limits,
    observe,
    openapi,  # noqa: F401 - its routes join the API blueprint
    security,
    site,
    staff,
    widget,
)
from .services import Services


class App(Flask):
    """Flask, remembering which of its functions are coroutines.

    Flask asks ``inspect`` again for every hook and view of every request (ten or so a
    request here); its answer for a function never changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync: dict[Any, Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._sync[func]
        except KeyError:
            made = self._sync[func] = super().ensure_sync(func)
            return made
        except TypeError:  # not hashable: ask each time
            return super().ensure_sync(func)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, building no signer for a request without cookies
    (every shopper's API call): Flask builds one for every request."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and "HTTP_COOKIE" not in request.environ:
            return self.session_class()
        return super().open_session(app, request)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app over a content folder; ``config`` overrides settings and environment."""
    settings = resolve_paths(load_settings(config))
    app = App(
        "faq_engine",
        instance_path=str(settings["FAQ_INSTANCE_DIR"]),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    settings["SECRET_KEY"] = settings["SECRET_KEY"] or secrets.token_hex(32)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=enabled(settings["FAQ_SECURE_COOKIES"]),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.session_interface = CookieSessions()
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    # Shoppers ask the same questions again and again: the access log and the event
    # recorder share one cache of redacted texts (redacting is the dearest step of both).
    redacted: LRU[str] = LRU(8192)

    def redact_cached(text: str, locale: str) -> str:
        return redacted.get((text, locale), lambda: redact(text, locale))

    engine = engine_from_settings(settings)
    storage = Storage(settings["DATABASE_URL"])
    if storage.problem:
        app.logger.warning("database unreachable, answering without it: %s", storage.problem)
    app.extensions["faq_engine"] = Services(
        engine=engine,
        storage=storage,
        recorder=Recorder(storage, redact_cached, enabled=enabled(settings["FAQ_EVENTS"])),
        markets=Markets.load(settings["FAQ_MARKETS_FILE"]),
        vocabulary=engine.vocabulary,
        catalogs=load_catalogs(PROJECT_ROOT / "locales"),
        settings=settings,
        redact=redact_cached,
    )
    observe.register(app)  # first, so its after_request runs last and logs the final status
    security.register(app)
    security.cors(app, settings["FAQ_CORS_ORIGINS"])
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(widget.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(demo.bp)
    demo.register_globals(app)
    site.register(app)
    errors.register(app)
    # Every form posts a CSRF token; the JSON API (CORS, no cookies) is exempt.
    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)
    app.extensions["faq_engine"].limiter = limits.register(app, api.bp)
    return app
