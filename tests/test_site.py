"""Help pages: valid, escaped HTML in the right language."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
VOID = {"meta", "link", "br", "hr", "img", "input"}
PLACEHOLDER = re.compile(r"%\(\w+\)s")


class Checker(HTMLParser):
    """Balanced tags, and remember <html lang>."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.lang: str | None = None
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()


def parse(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    return checker


def test_help_index_groups_by_context_in_the_locale(shop, make_app):
    client = make_app().test_client()
    html = client.get("/sv/help").get_data(as_text=True)
    assert parse(html).lang == "sv"
    assert "Hur kan vi hjälpa dig?" in html
    assert "<h2>Leverans</h2>" in html and "<h2>Skötselråd</h2>" in html
    assert 'href="/sv/help/delivery-time"' in html
    assert 'hreflang="en"' in html


def test_article_page(shop, make_app):
    client = make_app().test_client()
    html = client.get("/sv/help/care-wool").get_data(as_text=True)
    assert parse(html).lang == "sv"
    assert "<h1>Hur tvättar jag ull?</h1>" in html
    assert "Skötselråd" in html  # breadcrumb
    fallback = client.get("/sv/help/size-guide").get_data(as_text=True)
    assert "finns inte på svenska" in fallback
    assert client.get("/sv/help/nothing").status_code == 404
    assert client.get("/xx/help").status_code == 404


def test_titles_are_escaped(make_app, write_article):
    write_article("en", "evil", title="<script>alert(1)</script> & more", body="Text.")
    html = make_app().test_client().get("/en/help/evil").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    parse(html)


def test_root_redirects_to_the_negotiated_locale(shop, make_app):
    client = make_app().test_client()
    response = client.get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sv/help")


@pytest.mark.parametrize("locale", ["sv", "da", "pl", "nl"])
def test_catalogs_are_fully_translated(locale):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    with (ROOT / "locales" / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert template <= {m.id for m in catalog if m.id}, "run pybabel update"
    untranslated = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
        for text in strings:
            # Every placeholder of the English text is kept (a plural may drop the count).
            needed = set(PLACEHOLDER.findall(source)) - {"%(num)s"}
            if not needed <= set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(source)):
                untranslated.append((message.id, text))
    assert untranslated == []


def test_search_page_answers_corrects_and_falls_back_to_contact(shop, make_app):
    client = make_app().test_client()
    html = client.get("/sv/help/search?q=leveranstid").get_data(as_text=True)
    assert parse(html).lang == "sv"
    assert 'href="/sv/help/delivery-time"' in html
    assert 'rel="canonical" href="http://localhost/sv/help/search?q=leveranstid"' in html
    assert 'name="robots" content="noindex"' in html
    corrected = client.get("/sv/help/search?q=swihs").get_data(as_text=True)
    assert 'href="/sv/help/payment-methods"' in corrected
    assert "/sv/help/search?q=swish" in corrected  # "search for that instead"
    nothing = client.get("/sv/help/search?q=s%C3%A4ljer+ni+cyklar").get_data(as_text=True)
    assert 'class="contact"' in nothing and "24" in nothing
    assert "<script>" not in client.get("/sv/help/search?q=%3Cscript%3E").get_data(as_text=True)
    empty = client.get("/sv/help/search").get_data(as_text=True)
    assert 'class="results"' not in empty and parse(empty).lang == "sv"


def test_structured_data_canonical_and_alternates(shop, make_app):
    client = make_app().test_client()
    index = client.get("/sv/help").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', index).group(1)
    )
    assert data["@type"] == "FAQPage"
    questions = {q["name"]: q for q in data["mainEntity"]}
    assert questions["Hur lång tid tar leveransen?"]["acceptedAnswer"]["text"].startswith(
        "Leveransen tar"
    )
    assert 'rel="canonical" href="http://localhost/sv/help"' in index
    article = client.get("/sv/help/delivery-time").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', article).group(1)
    )
    assert data["@type"] == "Article" and data["inLanguage"] == "sv"
    assert data["headline"] == "Hur lång tid tar leveransen?"
    assert 'hreflang="sv" href="http://localhost/sv/help/delivery-time"' in article


def test_json_ld_cannot_close_its_script(make_app, write_article):
    write_article("en", "evil", title="</script><script>alert(1)</script>", body="Text.")
    html = make_app().test_client().get("/en/help").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html


def test_related_questions_and_feedback_form(shop, make_app):
    app = make_app()
    client = app.test_client()
    html = client.get("/sv/help/delivery-time").get_data(as_text=True)
    assert 'id="feedback"' in html and 'name="helpful" value="yes"' in html
    assert 'href="/sv/help/delivery-cost"' in html  # same part of the shop
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/sv/help/delivery-time/feedback", data={"helpful": "no"}).status_code == 400
    response = client.post(
        "/sv/help/delivery-time/feedback", data={"helpful": "no", "csrf_token": token}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/sv/help/delivery-time?thanks=1#feedback")
    thanked = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tack" in thanked and 'value="yes"' not in thanked
    with app.app_context():
        from faq_engine.web.services import get_services

        rows = get_services().storage.feedback_rows()
    assert rows[-1]["article"] == "delivery-time" and rows[-1]["helpful"] is False
    bad = {"helpful": "x", "csrf_token": token}
    assert client.post("/sv/help/delivery-time/feedback", data=bad).status_code == 400
    missing = {"helpful": "yes", "csrf_token": token}
    assert client.post("/sv/help/nothing/feedback", data=missing).status_code == 404


def test_error_pages_speak_the_shoppers_language(shop, make_app):
    client = make_app().test_client()
    missing = client.get("/sv/help/nothing")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 404 and parse(html).lang == "sv"
    assert "Page not found" not in html  # translated
    assert 'href="/sv/help"' in html
    elsewhere = client.get("/nowhere", headers={"Accept-Language": "sv"})
    assert parse(elsewhere.get_data(as_text=True)).lang == "sv"
    too_long = client.get("/sv/help/search?q=" + "x" * 600)
    assert too_long.status_code == 400 and parse(too_long.get_data(as_text=True)).lang == "sv"
