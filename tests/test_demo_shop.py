"""The demo shop: every stage in every locale, the widget with the right context, the
market's prices, options and dates."""

from __future__ import annotations

import re

import pytest

from faq_engine.web.demo import OPTION_NAMES, PRODUCTS, methods
from tests.conftest import ROOT
from tests.test_site import parse

STAGES = {
    "": "general",
    "product/wool-sweater": "product.care",
    "product/down-jacket": "product.care",
    "cart": "cart",
    "checkout/delivery": "checkout.delivery",
    "checkout/payment": "checkout.payment",
    "checkout/confirmation": "checkout.confirmation",
    "order": "order",
}


@pytest.fixture(scope="module")
def client():
    from faq_engine import create_app

    return create_app({"TESTING": True}).test_client()


@pytest.mark.parametrize("locale", ["sv", "da", "pl", "nl", "en"])
def test_every_stage_embeds_the_widget_for_its_context(client, locale):
    for path, context in STAGES.items():
        html = client.get(f"/demo/{locale}/{path}").get_data(as_text=True)
        assert parse(html).lang == locale, path
        tag = re.search(r'<script src="/widget.js"([^>]*)>', html)
        assert tag, path
        assert f'data-locale="{locale}"' in tag.group(1)
        assert f'data-context="{context}"' in tag.group(1)
        if path.startswith("product/"):
            category = next(p.category for p in PRODUCTS if p.slug == path.split("/")[1])
            assert f'data-category="{category}"' in tag.group(1)
    assert client.get(f"/demo/{locale}/product/nothing").status_code == 404
    assert client.get("/demo/xx/cart").status_code == 404


@pytest.mark.parametrize(
    ("locale", "price", "option_price"),
    [
        ("sv", "899,00\xa0kr", "49,00\xa0kr"),
        ("da", "649,00\xa0kr.", "39,00\xa0kr."),
        ("pl", "399,00\xa0zł", "12,99\xa0zł"),
        ("nl", "€\xa089,95", "€\xa04,95"),
    ],
)
def test_prices_and_options_are_the_markets(client, locale, price, option_price):
    product = client.get(f"/demo/{locale}/product/wool-sweater").get_data(as_text=True)
    assert price in product
    delivery = client.get(f"/demo/{locale}/checkout/delivery").get_data(as_text=True)
    assert option_price in delivery


def test_every_delivery_option_and_payment_method_can_be_translated():
    import yaml

    markets = yaml.safe_load((ROOT / "faq_engine" / "data" / "markets.yml").read_text())
    named = set(OPTION_NAMES)
    for facts in markets["markets"].values():
        for option in facts["delivery"]:
            assert option["option"] in named
        for method in methods(facts["payment"]):
            # Brand names (Swish, BLIK, iDEAL ...) are the same in every language.
            assert method in named or " " not in method or method in {"Apple Pay", "Google Pay"}


def test_split_payment_methods_are_joined_again():
    assert methods(["card (Visa", "Mastercard)", "Swish"]) == ["card (Visa, Mastercard)", "Swish"]


def test_confirmation_states_a_delivery_date_in_the_locale(client):
    html = client.get("/demo/sv/checkout/confirmation").get_data(as_text=True)
    assert re.search(r"(måndag|tisdag|onsdag|torsdag|fredag) \d{1,2} \w+ 20\d\d", html)
