"""Server-rendered help pages for shoppers: no JavaScript needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from flask import Blueprint, Flask, abort, g, redirect, request, url_for
from flask import render_template as flask_render

from ..content.render import snippet
from ..errors import BadRequest, NotFound
from ..i18n import language_name, negotiate
from ..mining.redact import redact
from ..models import AnswerRequest, Article
from . import params, tracking
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


def translations_for(locale: str) -> Any:
    """The locale's compiled catalog, or None for the source language (English)."""
    return get_services().catalogs.get(locale)


# Contact channels as markets.yml names them.
CHANNELS: dict[str, str] = {"chat": N_("Chat"), "phone": N_("Phone"), "email": N_("E-mail")}


def opening_text(next_opening: str, checked_at: str, locale: str) -> str:
    """ "opens at 09:00" later today, else "opens Monday at 09:00", in the market's time."""
    moment = dt.datetime.fromisoformat(next_opening)
    time = moment.strftime("%H:%M")
    if next_opening[:10] == checked_at[:10]:
        return gettext("opens at %(time)s", time=time)
    day = format_date(moment.date(), "EEEE", locale=locale)
    return gettext("opens %(day)s at %(time)s", day=day, time=time)


def format_day(day: dt.date, locale: str) -> str:
    return format_date(day, "long", locale=locale)


def _translations() -> Any:
    return translations_for(getattr(g, "locale", None) or "")


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


def _template_ngettext(singular: str, plural: str, n: int) -> str:
    """For Jinja, which fills the placeholders itself (``num`` as given, else the count)."""
    translations = _translations()
    if translations:
        return str(translations.ngettext(singular, plural, n))
    return singular if n == 1 else plural


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
        "help_index.html",
        locale,
        sections=sections,
        structured=_faq_page(locale, articles),
        alternates=_alternates("site.help_index"),
        canonical=url_for("site.help_index", locale=locale, _external=True),
    )


@bp.get("/<locale>/help/search")
def help_search(locale: str) -> Any:
    """Shareable results: ``/<locale>/help/search?q=...``; no answer shows how to reach us."""
    locale = _locale(locale)
    services = get_services()
    try:
        query = (params.text(request.args.get("q"), "q") or "").strip()
        context = params.context(request.args.get("context"))
    except BadRequest as exc:
        abort(400, exc.message)
    result = None
    if query:
        result = services.engine.answers(AnswerRequest(locale, query, context, limit=10))
        tracking.record_search(result, None)
    market = services.markets.get(locale)
    return render(
        "help_search.html",
        locale,
        query=query,
        result=result,
        snippet=snippet,
        contact=market.contact() if market and result is not None and not result.answers else None,
        alternates=_alternates("site.help_search", q=query) if query else [],
        canonical=url_for("site.help_search", locale=locale, q=query, _external=True),
        robots="noindex",
    )


@bp.get("/<locale>/help/contact")
def help_contact(locale: str) -> Any:
    """How to reach a person: the widget's "Contact us" leads here unless the shop has its
    own contact page."""
    locale = _locale(locale)
    market = get_services().markets.get(locale)
    if market is None:
        abort(404)
    return render(
        "help_contact.html", locale, contact=market.contact(), contact_page=True, robots="noindex"
    )


@bp.get("/<locale>/help/<article_id>")
def help_article(locale: str, article_id: str) -> Any:
    locale = _locale(locale)
    engine = get_services().engine
    try:
        answer = engine.article(locale, article_id)
    except NotFound:
        abort(404)
    article = answer.article
    home = article.contexts[0]
    related = [
        a
        for a in sorted(engine.articles(locale), key=lambda a: a.title)
        if a.id != article.id and a.contexts[0] == home
    ][:5]
    return render(
        "article.html",
        locale,
        answer=answer,
        article=article,
        related=related,
        thanks=request.args.get("thanks") == "1",
        structured=_article_data(article),
        alternates=_alternates("site.help_article", article_id=article_id),
        canonical=url_for(
            "site.help_article", locale=locale, article_id=article_id, _external=True
        ),
    )


@bp.post("/<locale>/help/<article_id>/feedback")
def help_feedback(locale: str, article_id: str) -> Any:
    """The article page's "Was this helpful?" form, for shoppers without JavaScript."""
    locale = _locale(locale)
    services = get_services()
    try:
        services.engine.article(locale, article_id)
    except NotFound:
        abort(404)
    helpful = request.form.get("helpful")
    if helpful not in ("yes", "no"):
        abort(400, "'helpful' must be yes or no.")
    query = (request.form.get("q") or "")[: params.MAX_QUERY] or None
    tracking.record_feedback(locale, article_id, helpful == "yes", query, "general", None)
    services.storage.add_feedback(
        locale, article_id, helpful == "yes", redact(query, locale) if query else None, "general"
    )
    target = url_for("site.help_article", locale=locale, article_id=article_id, thanks=1)
    return redirect(target + "#feedback", code=303)


def _faq_page(locale: str, articles: list[Article]) -> dict[str, Any]:
    """schema.org ``FAQPage``: every question of the locale with its answer's text."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "inLanguage": locale,
        "mainEntity": [
            {
                "@type": "Question",
                "name": a.title,
                "url": url_for("site.help_article", locale=locale, article_id=a.id, _external=True),
                "acceptedAnswer": {"@type": "Answer", "text": a.text},
            }
            for a in articles
        ],
    }


def _article_data(article: Article) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "inLanguage": article.locale,
        "url": url_for(
            "site.help_article", locale=article.locale, article_id=article.id, _external=True
        ),
        "articleBody": article.text,
    }
    if article.updated:
        data["dateModified"] = article.updated.isoformat()
    return data


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
    app.jinja_env.install_gettext_callables(gettext, _template_ngettext, newstyle=True)  # type: ignore[attr-defined]
    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.globals["section_label"] = dict(SECTIONS)
    app.jinja_env.globals["channel_label"] = CHANNELS
    app.jinja_env.globals["opening_text"] = opening_text
    app.jinja_env.globals["format_day"] = format_day
