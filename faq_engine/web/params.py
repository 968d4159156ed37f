"""Reading request parameters: every failure is a BadRequest naming the field."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest

from ..errors import BadRequest
from ..i18n import negotiate
from .services import get_services

MAX_QUERY = 500


def arg(name: str, args: MultiDict[str, str] | None = None) -> str | None:
    """The one value of query parameter ``name`` (of ``args`` when given: a view reading
    several binds ``request.args`` once), None when absent, BadRequest when repeated."""
    values = (request.args if args is None else args).getlist(name)
    if len(values) > 1:
        raise BadRequest(
            "repeated_parameter", f"Give {name!r} once, not {len(values)} times.", name
        )
    return values[0] if values else None


def text(value: Any, field: str, limit: int = MAX_QUERY) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("invalid_type", f"{field!r} must be text.", field)
    if len(value) > limit:
        raise BadRequest("too_long", f"{field!r} is longer than {limit} characters.", field)
    return value


def integer(value: str | None, field: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise BadRequest("invalid_type", f"{field!r} must be a whole number.", field) from None
    if not low <= number <= high:
        raise BadRequest("out_of_range", f"{field!r} must be between {low} and {high}.", field)
    return number


def flag(value: str | None, field: str) -> bool:
    if value is None:
        return False
    lowered = value.strip().lower()
    if lowered in {"", "1", "true", "yes"}:
        return True
    if lowered in {"0", "false", "no"}:
        return False
    raise BadRequest("invalid_type", f"{field!r} must be 1 or 0.", field)


def served_locale(value: str | None, field: str = "locale") -> str:
    """The locale asked for, else negotiated from Accept-Language, else the default."""
    services = get_services()
    served = services.engine.locales
    if value is not None:
        wanted = value.strip().replace("-", "_")
        for candidate in (wanted, wanted.lower(), wanted.split("_")[0].lower()):
            if candidate in served:
                return candidate
        raise BadRequest(
            "unknown_locale", f"Locale {value!r} is not served; served: {', '.join(served)}.", field
        )
    found = negotiate(request.headers.get("Accept-Language"), served)
    if found:
        return found
    default = str(services.settings["FAQ_DEFAULT_LOCALE"])
    if default in served:
        return default
    if served:
        return served[0]
    raise BadRequest("unknown_locale", "No locale is served.", field)


def context(value: Any, field: str = "context") -> str | None:
    value = text(value, field, 64)
    if value is None or value == "":
        return None
    contexts = get_services().vocabulary.contexts
    if value not in contexts:
        raise BadRequest(
            "unknown_context", f"Context {value!r} is not one of: {', '.join(contexts)}.", field
        )
    return value


def category(value: Any, field: str = "category") -> str | None:
    value = text(value, field, 64)
    if value is None or value == "":
        return None
    categories = get_services().vocabulary.categories
    if value not in categories:
        raise BadRequest(
            "unknown_category", f"Category {value!r} is not one of: {', '.join(categories)}.", field
        )
    return value


def json_object() -> dict[str, Any]:
    try:
        data = request.get_json(force=True, silent=False)
    except WerkzeugBadRequest:
        raise BadRequest("invalid_json", "The request body is not valid JSON.", None) from None
    if not isinstance(data, dict):
        raise BadRequest("invalid_json", "The request body must be a JSON object.", None)
    return data
