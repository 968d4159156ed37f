"""A demo shop under ``/demo/<locale>/``: every stage a shopper passes, each with the widget.

Product pages (one garment per material, with a care tab), the cart, the checkout steps
delivery → payment → confirmation, and an order page with tracking and returns. Prices,
dates and delivery options are the market's (``markets.yml``), formatted with Babel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from flask import Blueprint, abort, url_for

from .. import i18n
from .services import get_services
from .site import N_, gettext, ngettext, render

bp = Blueprint("demo", __name__, url_prefix="/demo/<locale>")


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    category: str
    text: str
    prices: dict[str, Decimal]  # by currency


def _prices(sek: int, dkk: int, pln: str, eur: str) -> dict[str, Decimal]:
    return {"SEK": Decimal(sek), "DKK": Decimal(dkk), "PLN": Decimal(pln), "EUR": Decimal(eur)}


PRODUCTS: tuple[Product, ...] = (
    Product(
        "wool-sweater",
        N_("Merino wool sweater"),
        "wool",
        N_("A soft, warm sweater knitted from fine merino wool."),
        _prices(899, 649, "399.00", "89.95"),
    ),
    Product(
        "cotton-tshirt",
        N_("Organic cotton T-shirt"),
        "cotton",
        N_("A classic T-shirt in heavy organic cotton."),
        _prices(299, 219, "129.00", "29.95"),
    ),
    Product(
        "linen-shirt",
        N_("Linen shirt"),
        "linen",
        N_("An airy shirt in washed linen for warm days."),
        _prices(699, 499, "299.00", "69.95"),
    ),
    Product(
        "silk-scarf",
        N_("Silk scarf"),
        "silk",
        N_("A light scarf in pure mulberry silk."),
        _prices(549, 399, "239.00", "54.95"),
    ),
    Product(
        "leather-boots",
        N_("Leather boots"),
        "leather",
        N_("Ankle boots in vegetable-tanned leather."),
        _prices(1799, 1299, "799.00", "179.00"),
    ),
    Product(
        "down-jacket",
        N_("Down jacket"),
        "down",
        N_("A light, warm jacket filled with responsibly sourced down."),
        _prices(1999, 1499, "899.00", "199.00"),
    ),
)
BY_SLUG = {p.slug: p for p in PRODUCTS}
IN_CART = ("wool-sweater", "cotton-tshirt")
ORDER_NUMBER = "100482"

# The market facts' delivery options and payment methods, as shoppers read them.
OPTION_NAMES = (
    N_("pickup point (PostNord ombud)"),
    N_("parcel locker (Instabox)"),
    N_("home delivery in the evening (Budbee)"),
    N_("express next working day (DHL)"),
    N_("parcel shop (GLS PakkeShop)"),
    N_("parcel box (PostNord Pakkeboks)"),
    N_("home delivery (Bring)"),
    N_("parcel locker (InPost Paczkomat)"),
    N_("courier (DPD)"),
    N_("Orlen Paczka pickup point"),
    N_("home delivery (PostNL)"),
    N_("PostNL pickup point"),
    N_("evening delivery (DHL)"),
    N_("pickup point"),
    N_("home delivery (DHL)"),
    N_("card (Visa, Mastercard)"),
    N_("Klarna invoice (30 days)"),
    N_("Klarna part payment"),
    N_("Klarna pay later (30 days)"),
    N_("fast bank transfer (Przelewy24)"),
    N_("PayPo pay in 30 days"),
)

# The stages of the demo, as the shopper meets them: (endpoint, label, widget context).
STAGES = (
    ("demo.product", N_("Product"), "product.care"),
    ("demo.cart", N_("Cart"), "cart"),
    ("demo.delivery", N_("Delivery"), "checkout.delivery"),
    ("demo.payment", N_("Payment"), "checkout.payment"),
    ("demo.confirmation", N_("Confirmation"), "checkout.confirmation"),
    ("demo.order", N_("Your order"), "order"),
)


def _market(locale: str) -> Any:
    services = get_services()
    market = services.markets.get(locale)
    if market is None or locale not in services.engine.locales:
        abort(404)
    return market


def methods(items: list[str]) -> list[str]:
    """Payment methods as listed in markets.yml, where "card (Visa, Mastercard)" comes split
    in two by YAML's flow-sequence commas: joined again while a parenthesis is open."""
    joined: list[str] = []
    for item in items:
        if joined and joined[-1].count("(") > joined[-1].count(")"):
            joined[-1] += ", " + item
        else:
            joined.append(item)
    return joined


def _money(amount: Decimal | float | int, market: Any, locale: str) -> str:
    return format_currency(Decimal(str(amount)), market.currency, locale=locale)


def _page(template: str, locale: str, stage: str, **context: Any) -> str:
    market = _market(locale)
    endpoint, _, widget_context = next(s for s in STAGES if s[0] == stage)
    items = [BY_SLUG[slug] for slug in IN_CART]
    return render(
        f"demo/{template}",
        locale,
        market=market,
        stage=endpoint,
        stages=STAGES,
        widget_context=context.pop("widget_context", widget_context),
        widget_category=context.pop("widget_category", None),
        money=lambda amount: _money(amount, market, locale),
        shop=get_services().markets.shop,
        products=PRODUCTS,
        items=items,
        total=sum((p.prices[market.currency] for p in items), Decimal(0)),
        order_number=ORDER_NUMBER,
        **context,
    )


def _today(locale: str) -> dt.date:
    return i18n.utc_now().astimezone(_market(locale).zone).date()


@bp.get("/")
def front(locale: str) -> Any:
    return _page("front.html", locale, "demo.product", widget_context="general")


@bp.get("/product/<slug>")
def product(locale: str, slug: str) -> Any:
    found = BY_SLUG.get(slug)
    if found is None:
        abort(404)
    return _page(
        "product.html", locale, "demo.product", product=found, widget_category=found.category
    )


@bp.get("/cart")
def cart(locale: str) -> Any:
    return _page("cart.html", locale, "demo.cart")


@bp.get("/checkout/delivery")
def delivery(locale: str) -> Any:
    return _page("delivery.html", locale, "demo.delivery")


@bp.get("/checkout/payment")
def payment(locale: str) -> Any:
    facts = _market(locale).facts
    return _page("payment.html", locale, "demo.payment", methods=methods(facts.get("payment", [])))


@bp.get("/checkout/confirmation")
def confirmation(locale: str) -> Any:
    options = _market(locale).facts.get("delivery") or [{"days": "1-3"}]
    slowest = int(str(options[0]["days"]).split("-")[-1])
    arrives = _working_days_after(_today(locale), slowest)
    return _page(
        "confirmation.html",
        locale,
        "demo.confirmation",
        arrives=format_date(arrives, "full", locale=locale),
    )


@bp.get("/order")
def order(locale: str) -> Any:
    ordered = _today(locale) - dt.timedelta(days=2)
    return _page(
        "order.html",
        locale,
        "demo.order",
        ordered=format_date(ordered, "long", locale=locale),
        tracking="00370712345678901234",
        returns_url=url_for("site.help_article", locale=locale, article_id="how-to-return"),
    )


def _working_days_after(day: dt.date, days: int) -> dt.date:
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def describe_option(option: dict[str, Any], market: Any, locale: str) -> dict[str, str]:
    days = str(option.get("days", ""))
    most = int(days.split("-")[-1]) if days.split("-")[-1].isdigit() else 2
    return {
        "name": gettext(str(option["option"])),
        "days": ngettext(
            "%(days)s working day", "%(days)s working days", most, days=days.replace("-", "–")
        ),
        "price": _money(option.get("price", 0), market, locale),
    }


def register_globals(app: Any) -> None:
    app.jinja_env.globals["describe_option"] = describe_option
