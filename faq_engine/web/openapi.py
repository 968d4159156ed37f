"""The OpenAPI 3.1 description of the v1 API, and a page for people to read it.

The description is ``faq_engine/data/openapi.yml`` with the lists this service holds right
now filled in (served locales, contexts, categories), so a client generated from it, or a
property-based test, asks for what exists. ``/api/v1/docs`` renders the same description as
a plain HTML page on this server: no script, no CDN.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import yaml
from flask import Response, render_template
from markupsafe import Markup

from .. import __version__
from ..content.render import render as render_markdown
from .api import bp
from .services import get_services

SPEC = Path(__file__).resolve().parent.parent / "data" / "openapi.yml"


@functools.lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return spec


def description() -> dict[str, Any]:
    """The description with this service's locales, contexts and categories."""
    services = get_services()
    key = ("openapi", services.engine.snapshot.signature)
    found = services.cache.get(key)
    if found is None:
        spec = copy.deepcopy(_template())
        spec["info"]["x-service-version"] = __version__
        schemas = spec["components"]["schemas"]
        locales = list(services.engine.locales)
        contexts = list(services.vocabulary.contexts)
        categories = list(services.vocabulary.categories)
        schemas["Locale"]["enum"] = locales
        schemas["OptionalLocale"]["enum"] = ["", *locales]
        schemas["OptionalContext"]["enum"] = ["", *contexts]
        schemas["OptionalCategory"]["enum"] = ["", *categories]
        ids = sorted({i for by_id in services.engine.content.articles.values() for i in by_id})
        if ids:  # real ids to try, for people and for property-based tests alike
            article = spec["paths"]["/api/v1/articles/{article_id}"]["get"]["parameters"][0]
            article["examples"] = {i: {"value": i} for i in ids[:10]}
            schemas["FeedbackRequest"]["properties"]["article"]["examples"] = ids[:10]
        found = services.cache[key] = spec
    return found


@bp.get("/openapi.json")
def openapi_json() -> Any:
    body = json.dumps(description(), ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json")


@bp.get("/docs")
def docs() -> Any:
    spec = description()
    operations = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation["operationId"],
                    "operation": operation,
                    "parameters": [_resolve(spec, p) for p in operation.get("parameters", [])],
                    "body": _body_schema(spec, operation),
                    "responses": [
                        (status, _resolve(spec, response))
                        for status, response in operation["responses"].items()
                    ],
                }
            )
    return render_template(
        "api_docs.html",
        spec=spec,
        operations=operations,
        schemas=spec["components"]["schemas"],
        pretty=_pretty,
        md=_markdown,
        schema_name=_schema_name,
    )


def _resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Follow a ``$ref`` (one level: what the page shows by name)."""
    ref = item.get("$ref")
    if not ref:
        return item
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def _body_schema(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    body = operation.get("requestBody")
    if not body:
        return None
    schema: dict[str, Any] = body["content"]["application/json"]["schema"]
    return schema


def _schema_name(schema: dict[str, Any] | None) -> str | None:
    ref = (schema or {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _markdown(text: str | None) -> Markup:
    """A description's CommonMark as sanitised HTML (the same renderer as articles)."""
    return Markup(render_markdown(text or "", lambda _: None))


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
