"""Help pages: valid, escaped HTML in the right language."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
VOID = {"meta", "link", "br", "hr", "img", "input"}


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
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
