"""One error shape for the API: every failure, however it arises, becomes the same JSON."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, jsonify, make_response, request
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from ..errors import ApiError
from ..i18n import negotiate
from .limits import Limited, retry_seconds
from .services import get_services
from .site import N_, render

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    """The API always answers JSON; other pages do for a client that asks for JSON first."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best
    return best == "application/json"


# What a shopper reads on an error page, by status (other 4xx read as 400, 5xx as 500).
PAGES = {
    404: (N_("Page not found"), N_("We could not find that page.")),
    400: (N_("Something is not right"), N_("Something in the address or the form is not right.")),
    429: (N_("Too many attempts"), N_("Please wait a moment, then try again.")),
    500: (
        N_("Something went wrong"),
        N_("Something went wrong on our side. Please try again in a moment."),
    ),
}


def _page(status: int) -> Any:
    """The error page in the shopper's language: the locale in the path, else negotiated."""
    services = get_services()
    served = services.engine.locales
    parts = [p for p in request.path.split("/") if p]
    if parts and parts[0] == "demo":
        parts = parts[1:]
    locale = parts[0] if parts and parts[0] in served else None
    locale = locale or negotiate(request.headers.get("Accept-Language"), served)
    locale = locale or str(services.settings["FAQ_DEFAULT_LOCALE"])
    title, message = PAGES.get(status) or PAGES[500 if status >= 500 else 400]
    return render("error.html", locale, status=status, title=title, message=message), status


def _error(status: int, code: str, message: str, field: str | None = None, **more: Any) -> Any:
    response = jsonify({"error": {"code": code, "message": message, "field": field, **more}})
    response.status_code = status
    return response


def _too_many(exc: RateLimitExceeded | Limited) -> Any:
    """429 with ``Retry-After``: in the header, and in the error shape as ``retry_after``."""
    if isinstance(exc, Limited):
        seconds = exc.seconds
    else:
        limiter = get_services().limiter
        current = limiter.current_limit if limiter else None
        seconds = retry_seconds(current.reset_at) if current else 60
    if _wants_json():
        response: Response = _error(
            429,
            "rate_limited",
            f"Too many requests ({exc.description}); try again in {seconds} seconds.",
            retry_after=seconds,
        )
    else:
        response = make_response(_page(429))
    response.headers["Retry-After"] = str(seconds)
    return response


def register(app: Flask) -> None:
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.register_error_handler(Limited, _too_many)

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Any:
        if _wants_json():
            return _error(exc.status, exc.code, exc.message, exc.field)
        return _page(exc.status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if _wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            response: Response = _error(status, code, exc.description or exc.name or "Error.")
        else:
            response = make_response(_page(status))
        for name, value in exc.get_headers():
            if name != "Content-Type":  # Allow with 405, WWW-Authenticate with 401...
                response.headers[name] = value
        return response

    @app.errorhandler(sa.exc.OperationalError)
    def database_down(exc: sa.exc.OperationalError) -> Any:
        log.warning("database unavailable on %s: %s", request.path, type(exc.orig).__name__)
        if _wants_json():
            return _error(503, "database_unavailable", "The database cannot be reached now.")
        return _page(503)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return _error(500, "internal_error", "Something went wrong on our side.")
        return _page(500)
