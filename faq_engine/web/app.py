"""The application factory."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_cors import CORS
from flask_wtf.csrf import CSRFProtect

from ..config import PROJECT_ROOT, load_settings, resolve_paths
from ..engine import engine_from_settings
from ..i18n import Markets, load_catalogs
from ..storage import Storage
from . import api, demo, errors, health, limits, observe, security, site, staff, widget
from .services import Services


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app over a content folder; ``config`` overrides settings and environment."""
    settings = resolve_paths(load_settings(config))
    app = Flask(
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
        SESSION_COOKIE_SECURE=str(settings["FAQ_SECURE_COOKIES"]) not in ("0", "false", ""),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    engine = engine_from_settings(settings)
    app.extensions["faq_engine"] = Services(
        engine=engine,
        storage=Storage(settings["DATABASE_URL"]),
        markets=Markets.load(settings["FAQ_MARKETS_FILE"]),
        vocabulary=engine.vocabulary,
        catalogs=load_catalogs(PROJECT_ROOT / "locales"),
        settings=settings,
    )
    observe.register(app)  # first, so its after_request runs last and logs the final status
    security.register(app)
    origins = {"origins": settings["FAQ_CORS_ORIGINS"]}
    CORS(app, resources={r"/api/*": origins, r"/widget/*": origins})
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
