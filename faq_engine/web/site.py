"""Server-rendered help pages for shoppers: no JavaScript needed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, g, redirect, request, url_for
from flask import render_template as flask_render

from ..errors import NotFound
from ..i18n import language_name, negotiate
from .services import get_services

bp = Blueprint("site", __name__)


def N_(message: str) -> str:  # noqa: N802 - marks a string for extraction, translated later
    return message


# Where a question arises, as the help centre names it; ordered as a shopper meets them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("checkout.delivery", N_("Delivery")),
    ("checkout.payment", N_("Payment")),
    ("order.tracking", N_("Tracking your order")),
    ("order.changes", N_("Changing or cancelling an order")),
    ("order.returns", N_("Returns and refunds")),
    ("checkout.returns", N_("Return terms")),
    ("checkout.confirmation", N_("After you have ordered")),
    ("cart", N_("Shopping cart")),
    ("product.care", N_("Care instructions")),
    ("product.sizing", N_("Size and fit")),
    ("product.stock", N_("Availability")),
    ("account", N_("Your account")),
    ("general", N_("General")),
)


def _translations() -> Any:
    catalogs = get_services().catalogs
    return catalogs.get(getattr(g, "locale", None) or "", None)


def gettext(message: str, **variables: Any) -> str:
    translations = _translations()
    text = translations.gettext(message) if translations else message
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    translations = _translations()
    if translations:
        text = translations.ngettext(singular, plural, n)
    else:
        text = singular if n == 1 else plural
    variables.setdefault("num", n)
    return text % variables


def render(template: str, locale: str, **context: Any) -> str:
    g.locale = locale
    return flask_render(template, locale=locale, **context)


def _locale(locale: str) -> str:
    services = get_services()
    if locale not in services.engine.locales:
        abort(404)
    return locale


@bp.get("/")
def home() -> Any:
    services = get_services()
    found = negotiate(request.headers.get("Accept-Language"), services.engine.locales)
    default = services.settings["FAQ_DEFAULT_LOCALE"]
    locale = found or (default if default in services.engine.locales else None)
    if locale is None:
        abort(404)
    return redirect(url_for("site.help_index", locale=locale))


@bp.get("/<locale>/help")
def help_index(locale: str) -> Any:
    locale = _locale(locale)
    engine = get_services().engine
    articles = sorted(engine.articles(locale), key=lambda a: a.title)
    placed: set[str] = set()
    sections = []
    for context, label in SECTIONS:
        # An article is listed once, under its home context.
        members = [a for a in articles if a.contexts[0] == context and a.id not in placed]
        placed.update(a.id for a in members)
        if members:
            sections.append((context, label, members))
    rest = [a for a in articles if a.id not in placed]
    if rest:
        sections.append(("other", N_("More questions"), rest))
    return render(
        "help_index.html", locale, sections=sections, alternates=_alternates("site.help_index")
    )


@bp.get("/<locale>/help/<article_id>")
def help_article(locale: str, article_id: str) -> Any:
    locale = _locale(locale)
    try:
        answer = get_services().engine.article(locale, article_id)
    except NotFound:
        abort(404)
    return render(
        "article.html",
        locale,
        answer=answer,
        article=answer.article,
        alternates=_alternates("site.help_article", article_id=article_id),
    )


def _alternates(endpoint: str, **values: Any) -> list[tuple[str, str]]:
    engine = get_services().engine
    article_id = values.get("article_id")
    return [
        (loc, url_for(endpoint, locale=loc, _external=True, **values))
        for loc in engine.locales
        if article_id is None or engine.content.get(loc, article_id) is not None
    ]


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.globals["section_label"] = dict(SECTIONS)
