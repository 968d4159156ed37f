"""One error shape for the API: every failure, however it arises, becomes the same JSON."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import ApiError

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, code: str, message: str, field: str | None = None) -> Any:
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Any:
        if _wants_json():
            return _error(exc.status, exc.code, exc.message, exc.field)
        return render_template("error.html", status=exc.status, message=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if _wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            return _error(status, code, exc.description or exc.name or "Error.")
        return render_template("error.html", status=status, message=exc.name), status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return _error(500, "internal_error", "Something went wrong on our side.")
        return render_template("error.html", status=500, message="Internal error"), 500
