"""The bundled demo content: every catalog topic in every locale, stating its market's facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from faq_engine.content import load_content
from faq_engine.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "faq_engine" / "data"
LOCALES = ("sv", "da", "pl", "nl", "en")
SHARED = ROOT.parent / "shared" / "catalog"  # the catalog the demo content must cover
TOPICS = yaml.safe_load((SHARED / "topics.yml").read_text())["topics"]
MARKETS = yaml.safe_load((CATALOG / "markets.yml").read_text())["markets"]
CONTENT = load_content(ROOT / "content", Vocabulary.load(CATALOG / "contexts.yml"))

BRANDS = (
    "Visa",
    "Mastercard",
    "Swish",
    "Klarna",
    "Apple Pay",
    "Dankort",
    "MobilePay",
    "BLIK",
    "Przelewy24",
    "PayPo",
    "Google Pay",
    "iDEAL",
    "PayPal",
)
NORWAY = {"sv": "Norge", "da": "Norge", "pl": "Norwegi", "nl": "Noorwegen", "en": "Norway"}
FREE = {
    "sv": "gratis|kostnadsfri",
    "da": "gratis",
    "pl": "bezpłatn|darmow",
    "nl": "gratis",
    "en": "free",
}


def text_of(locale: str, article_id: str) -> str:
    article = CONTENT.get(locale, article_id)
    assert article is not None, f"content/{locale}/{article_id}.md is missing"
    return " ".join([article.title, *article.questions, article.text])


def normalised(text: str) -> str:
    """Decimal commas as points and dashes as '-', so facts compare as numbers."""
    text = text.replace("\u00a0", " ").replace("–", "-").replace("—", "-")
    return re.sub(r"(\d),(\d)", r"\1.\2", text)


def has_time(text: str, hhmm: str) -> bool:
    """08:00 written as 08:00, 08.00 or 8.00."""
    hours, minutes = hhmm.split(":")
    return re.search(rf"(?<!\d)0?{int(hours)}[.:]{minutes}(?!\d)", text) is not None


def has_number(text: str, number: float | str) -> bool:
    value = f"{number:.2f}".rstrip("0").rstrip(".") if isinstance(number, float) else str(number)
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", normalised(text)) is not None


def test_content_checks_clean():
    assert [str(p) for p in CONTENT.problems] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_topic_in_every_locale_as_the_catalog_says(locale):
    for topic in TOPICS:
        article = CONTENT.get(locale, topic["id"])
        assert article is not None, f"{locale}/{topic['id']} missing"
        assert list(article.contexts) == topic["contexts"], article.path
        assert list(article.categories) == topic.get("categories", []), article.path
        assert 3 <= len(article.questions) <= 14, article.path
        words = len(re.findall(r"\w+", article.text))
        assert 60 <= words <= 200, (article.path, words)
        assert article.title.rstrip().endswith("?"), article.path


@pytest.mark.parametrize("locale", LOCALES)
def test_delivery_articles_state_the_market(locale):
    market = MARKETS[locale]
    cost = text_of(locale, "delivery-cost")
    assert has_number(cost, market["free_shipping_over"]), "free-shipping threshold"
    for option in market["delivery"]:
        assert has_number(cost, float(option["price"])), option
    options = text_of(locale, "delivery-options")
    for option in market["delivery"]:
        carrier = re.search(r"\(([^)]+)\)", option["option"])
        name = (carrier.group(1) if carrier else option["option"]).split()[0]
        if carrier or name[0].isupper():
            assert name in options, name
    timing = normalised(text_of(locale, "delivery-time"))
    assert has_time(timing, "14:00")
    for option in market["delivery"]:
        assert str(option["days"]) in timing, option["days"]
    assert has_number(text_of(locale, "pickup-point-collection"), market["pickup_hold_days"])
    assert NORWAY[locale] in text_of(locale, "delivery-countries")


@pytest.mark.parametrize("locale", LOCALES)
def test_payment_methods_name_every_method(locale):
    text = text_of(locale, "payment-methods")
    methods = " ".join(MARKETS[locale]["payment"])
    for brand in BRANDS:
        if brand in methods:
            assert brand in text, brand


@pytest.mark.parametrize("locale", LOCALES)
def test_return_articles_state_the_market(locale):
    cost = MARKETS[locale]["return_cost"]
    text = text_of(locale, "return-cost")
    if cost:
        assert has_number(text, float(cost))
    else:
        assert re.search(FREE[locale], text, re.I), "free returns"
    policy = text_of(locale, "return-policy")
    assert has_number(policy, 14) and has_number(policy, 30)
    refund = normalised(text_of(locale, "refund-time"))
    assert "3-5" in refund


@pytest.mark.parametrize("locale", LOCALES)
def test_contact_states_hours_and_the_24_hour_promise(locale):
    text = normalised(text_of(locale, "contact-customer-service"))
    assert has_number(text, 24)
    for channel, hours in MARKETS[locale]["contact"].items():
        if channel == "email_response_hours":
            continue
        for opens, closes in re.findall(r"(\d{2}:\d{2})-(\d{2}:\d{2})", str(hours)):
            for moment in (opens, closes):
                assert has_time(text, moment), (channel, moment)


def test_shipped_catalog_copies_match_shared():
    for name in ("contexts.yml", "markets.yml"):
        assert (CATALOG / name).read_text() == (SHARED / name).read_text()
