"""The shoppers' and integrators' JSON API, version 1."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest

from ..content.render import snippet
from ..errors import BadRequest, NotFound
from ..i18n import language_name
from ..mining.redact import redact
from ..models import Answer, AnswerRequest
from . import params
from .services import get_services

bp = Blueprint("api", __name__, url_prefix="/api/v1")


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
    locale = params.served_locale(params.arg("locale"))
    query = params.text(params.arg("q"), "q") or ""
    answer_request = AnswerRequest(
        locale=locale,
        query=query,
        context=params.context(params.arg("context")),
        category=params.category(params.arg("category")),
        limit=params.integer(params.arg("limit"), "limit", 5, 1, 20),
        explain=params.flag(params.arg("explain"), "explain"),
    )
    result = services.engine.answers(answer_request)
    market = services.markets.get(locale) or services.markets.get(
        str(services.settings["FAQ_FALLBACK_LOCALE"])
    )
    body: dict[str, Any] = {
        "locale": locale,
        "context": answer_request.context,
        "category": answer_request.category,
        "query": query,
        "answers": [answer_json(a) for a in result.answers],
        "did_you_mean": result.did_you_mean,
        "contact": market.contact() if market else None,
    }
    if answer_request.explain:
        body["decision"] = result.decision
    return jsonify(body)


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
    data = _json_object()
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
    stored = services.storage.add_feedback(
        locale, article_id, helpful, redact(query, locale) if query else None, context
    )
    return jsonify({"id": stored, "article": article_id, "locale": locale, "helpful": helpful}), 201


def _json_object() -> dict[str, Any]:
    try:
        data = request.get_json(force=True, silent=False)
    except WerkzeugBadRequest:
        raise BadRequest("invalid_json", "The request body is not valid JSON.", None) from None
    if not isinstance(data, dict):
        raise BadRequest("invalid_json", "The request body must be a JSON object.", None)
    return data
