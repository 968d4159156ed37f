"""What the API, the help centre and the widget record for the KPIs: queued, never waited
for. The widget reports what happens in the browser through ``POST /api/v1/events``.

A widget session is a random id the widget makes per page load (no cookie, nothing about the
shopper); it ties one shopper's searches, opened answers and contact clicks together.
"""

from __future__ import annotations

from typing import Any

from ..analytics.recorder import SESSION
from ..errors import BadRequest, NotFound, TooMany
from ..models import AnswerResult
from . import params
from .services import get_services

# What the browser may report; searches and shown contact blocks the service sees itself.
BROWSER_EVENTS = ("open", "contact_click")
FIELDS = {"type", "session", "locale", "context", "category", "article", "query"}


def session_id(value: Any, field: str = "session") -> str | None:
    value = params.text(value, field, 64)
    if not value:
        return None
    if not SESSION.fullmatch(value):
        raise BadRequest(
            "invalid_session", f"{field!r} must be 8-64 letters, digits, '-' or '_'.", field
        )
    return value


def record_search(result: AnswerResult, session: str | None) -> None:
    """A shopper's question and what it got; with no answer, the contact block was shown."""
    query = result.request.query.strip()
    services = get_services()
    if not query or not services.recorder.allow(session):
        return
    fields = {
        "session": session,
        "context": result.request.context,
        "category": result.request.category,
    }
    services.recorder.record(
        "search",
        result.request.locale,
        query=query,
        answers=[a.article.id for a in result.answers],
        no_answer=not result.answers,
        **fields,
    )
    if not result.answers:
        services.recorder.record("contact_shown", result.request.locale, **fields)


def record_feedback(
    locale: str,
    article: str,
    helpful: bool,
    query: str | None,
    context: str | None,
    session: str | None,
) -> None:
    recorder = get_services().recorder
    if recorder.allow(session):
        recorder.record(
            "feedback",
            locale,
            article=article,
            helpful=helpful,
            query=query,
            context=context,
            session=session,
        )


def _open_now(locale: str) -> bool | None:
    """Whether a person could be reached right now (chat or phone open) in the market."""
    market = get_services().markets.get(locale)
    return market.person_reachable() if market else None


def browser_event(data: dict[str, Any]) -> None:
    """Record what the widget reports: ``{"type": "open"|"contact_click", "session", "locale",
    "context", "category", "article", "query"}``; every field checked and named when wrong."""
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise BadRequest("unknown_field", f"Unknown field {unknown[0]!r}.", unknown[0])
    kind = data.get("type")
    if kind not in BROWSER_EVENTS:
        raise BadRequest(
            "invalid_type", f"'type' must be one of: {', '.join(BROWSER_EVENTS)}.", "type"
        )
    session = session_id(data.get("session"))
    if session is None:
        raise BadRequest("missing_field", "'session' is required.", "session")
    locale = params.served_locale(params.text(data.get("locale"), "locale", 16))
    fields: dict[str, Any] = {
        "session": session,
        "context": params.context(data.get("context")),
        "category": params.category(data.get("category")),
        "query": params.text(data.get("query"), "query"),
    }
    article = params.text(data.get("article"), "article", 200)
    if kind == "open":
        if not article:
            raise BadRequest("missing_field", "'article' is required to open one.", "article")
        if get_services().engine.content.get(locale, article) is None:
            raise NotFound("article_not_found", f"No article {article!r} in {locale!r}.", "article")
        fields["article"] = article
    else:
        fields["open_now"] = _open_now(locale)
    recorder = get_services().recorder
    if not recorder.allow(session):
        raise TooMany("too_many_events", "This session sent too many events.", "session")
    recorder.record(kind, locale, **fields)
