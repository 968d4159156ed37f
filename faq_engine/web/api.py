"""The shoppers' and integrators' JSON API, version 1."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request

from ..analytics.keys import hash_key
from ..cache import LRU
from ..content.render import snippet
from ..errors import BadRequest, NotFound, TooLarge, Unauthorized
from ..i18n import language_name
from ..mining.redact import redact
from ..models import Answer, AnswerRequest, AnswerResult
from . import params, tracking
from .figures import figures, filters_from
from .services import get_services

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_EVENT_BYTES = 4096  # an event is a few short fields


def answer_json(answer: Answer) -> dict[str, Any]:
    article = answer.article
    data: dict[str, Any] = {
        "id": article.id,
        "locale": article.locale,
        "title": article.title,
        "snippet": snippet(article.text),
        "html": article.html,
        "url": article.url,
        "contexts": list(article.contexts),
        "categories": list(article.categories),
        "score": answer.score,
        "fallback": answer.fallback,
    }
    if answer.explain is not None:
        data["explain"] = answer.explain
    return data


@bp.get("/answers")
def answers() -> Any:
    services = get_services()
    args = request.args
    locale = params.served_locale(params.arg("locale", args))
    query = params.text(params.arg("q", args), "q") or ""
    answer_request = AnswerRequest(
        locale=locale,
        query=query,
        context=params.context(params.arg("context", args)),
        category=params.category(params.arg("category", args)),
        limit=params.integer(params.arg("limit", args), "limit", 5, 1, 20),
        explain=params.flag(params.arg("explain", args), "explain"),
    )
    session = tracking.session_id(params.arg("session", args))
    result = services.engine.answers(answer_request)
    if not answer_request.explain:
        tracking.record_search(result, session)
    market = services.markets.get(locale) or services.markets.get(
        str(services.settings["FAQ_FALLBACK_LOCALE"])
    )
    contact = market.contact() if market else None
    bodies = services.cache.get("answer_bodies")
    if bodies is None:
        bodies = services.cache["answer_bodies"] = LRU(int(services.settings["FAQ_ANSWER_CACHE"]))
    # The engine hands out the same result for the same request while the content stands,
    # and the market the same contact block for a minute: their JSON is written once.
    kept = bodies.get((id(result), id(contact)), lambda: (result, contact, _body(result, contact)))
    if kept[0] is not result or kept[1] is not contact:  # an id reused by a newer object
        kept = (result, contact, _body(result, contact))
    return current_app.response_class(kept[2], mimetype="application/json")


def _body(result: AnswerResult, contact: dict[str, Any] | None) -> bytes:
    asked = result.request
    body: dict[str, Any] = {
        "locale": asked.locale,
        "context": asked.context,
        "category": asked.category,
        "query": asked.query,
        "answers": [answer_json(a) for a in result.answers],
        "did_you_mean": result.did_you_mean,
        "contact": contact,
    }
    if asked.explain:
        body["decision"] = result.decision
    return (current_app.json.dumps(body, separators=(",", ":")) + "\n").encode()  # as jsonify


@bp.get("/articles/<article_id>")
def article(article_id: str) -> Any:
    services = get_services()
    locale = params.served_locale(params.arg("locale"))
    found = services.engine.article(locale, article_id)
    a = found.article
    return jsonify(
        {
            "id": a.id,
            "locale": a.locale,
            "title": a.title,
            "html": a.html,
            "contexts": list(a.contexts),
            "categories": list(a.categories),
            "questions": list(a.questions),
            "updated": a.updated.isoformat() if a.updated else None,
            "url": a.url,
            "fallback": found.fallback,
        }
    )


@bp.get("/locales")
def locales() -> Any:
    services = get_services()
    return jsonify(
        {
            "default": services.settings["FAQ_DEFAULT_LOCALE"],
            "fallback": services.settings["FAQ_FALLBACK_LOCALE"],
            "locales": [
                {
                    "locale": loc,
                    "name": language_name(loc),
                    "articles": len(services.engine.content.articles[loc]),
                    "market": getattr(services.markets.get(loc), "country", None),
                }
                for loc in services.engine.locales
            ],
        }
    )


@bp.get("/contexts")
def contexts() -> Any:
    vocabulary = get_services().vocabulary
    return jsonify(
        {
            "contexts": [
                {"id": cid, "description": text, "parent": vocabulary.parent(cid)}
                for cid, text in vocabulary.contexts.items()
            ],
            "categories": list(vocabulary.categories),
        }
    )


@bp.post("/feedback")
def feedback() -> Any:
    services = get_services()
    data = params.json_object()
    locale = params.served_locale(params.text(data.get("locale"), "locale", 16))
    article_id = data.get("article")
    if not isinstance(article_id, str) or not article_id:
        raise BadRequest("missing_field", "'article' must be the id of an article.", "article")
    try:
        services.engine.article(locale, article_id)
    except NotFound:
        raise NotFound(
            "article_not_found", f"No article {article_id!r} in {locale!r}.", "article"
        ) from None
    helpful = data.get("helpful")
    if not isinstance(helpful, bool):
        raise BadRequest("invalid_type", "'helpful' must be true or false.", "helpful")
    query = params.text(data.get("query"), "query")
    context = params.context(data.get("context"))
    session = tracking.session_id(data.get("session"))
    tracking.record_feedback(locale, article_id, helpful, query, context, session)
    stored = services.storage.add_feedback(
        locale, article_id, helpful, redact(query, locale) if query else None, context
    )
    return jsonify({"id": stored, "article": article_id, "locale": locale, "helpful": helpful}), 201


@bp.post("/events")
def events() -> Any:
    """What happens in the widget (an answer opened, contact clicked) → 202."""
    if (request.content_length or 0) > MAX_EVENT_BYTES:
        raise TooLarge("too_large", f"An event is at most {MAX_EVENT_BYTES} bytes.", None)
    tracking.browser_event(params.json_object())
    return jsonify({"accepted": True}), 202


STATS_PARAMETERS = {"from", "to", "locale", "context"}


@bp.get("/stats")
def stats() -> Any:
    """The dashboard's figures as JSON, for an API key (``faq-engine keys add NAME``) sent as
    ``Authorization: Bearer <key>``. Parameters: ``from``, ``to``, ``locale``, ``context``."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if not header:
        raise Unauthorized(
            "missing_api_key", "Send an API key as 'Authorization: Bearer <key>'.", "Authorization"
        )
    storage = get_services().storage
    if scheme.lower() != "bearer" or not key.strip() or not storage.api_key_name(hash_key(key)):
        raise Unauthorized("invalid_api_key", "The API key is not valid.", "Authorization")
    unknown = sorted(set(request.args) - STATS_PARAMETERS)
    if unknown:
        raise BadRequest(
            "unknown_parameter",
            f"Unknown parameter {unknown[0]!r}; known: {', '.join(sorted(STATS_PARAMETERS))}.",
            unknown[0],
        )
    for name in STATS_PARAMETERS:
        params.arg(name)  # each at most once
    return jsonify(figures(filters_from(request.args)))
