"""One error shape for the API: every failure, however it arises, becomes the same JSON."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..errors import ApiError
from ..i18n import negotiate
from .services import get_services
from .site import N_, render

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


# What a shopper reads on an error page, by status (other 4xx read as 400, 5xx as 500).
PAGES = {
    404: (N_("Page not found"), N_("We could not find that page.")),
    400: (N_("Something is not right"), N_("Something in the address or the form is not right.")),
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


def _error(status: int, code: str, message: str, field: str | None = None) -> Any:
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def register(app: Flask) -> None:
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
            return _error(status, code, exc.description or exc.name or "Error.")
        return _page(status)

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
