"""Exception types. Web code turns :class:`ApiError` into the one JSON error shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FaqError(Exception):
    """Base class of the errors faq-engine raises on purpose."""


class ConfigError(FaqError):
    """A configuration value is missing or invalid; names the key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


class ApiError(FaqError):
    """An error a client can act on: a status, a machine code, a sentence and the field."""

    status = 400

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class BadRequest(ApiError):
    status = 400


class NotFound(ApiError):
    status = 404


class Unauthorized(ApiError):
    status = 401


class TooLarge(ApiError):
    status = 413


class TooMany(ApiError):
    status = 429


class Unavailable(ApiError):
    """The database cannot be reached: answers still work, this call does not."""

    status = 503


class UnknownLocale(BadRequest):
    def __init__(self, locale: str, field: str = "locale") -> None:
        super().__init__("unknown_locale", f"Locale {locale!r} is not served.", field)
