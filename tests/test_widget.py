"""The widget as served: one small script, its strings per locale, cacheable."""

from __future__ import annotations

import gzip

import pytest

from faq_engine.web.widget import STRINGS, bundle
from tests.conftest import ROOT

LIMIT = 12 * 1024  # bytes, gzipped, script and stylesheet together


def test_widget_is_small_and_self_contained(shop, make_app):
    client = make_app().test_client()
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    body = response.get_data()
    assert len(gzip.compress(body, 9)) <= LIMIT
    # The stylesheet is inside; the placeholder is gone; nothing is fetched from elsewhere.
    css = (ROOT / "static" / "widget" / "widget.css").read_text(encoding="utf-8")
    assert b"__CSS__" not in body and b"--faq-accent" in body and len(css) > 500
    assert b"http://" not in body and b"https://" not in body
    assert b"attachShadow" in body and b'role: "combobox"' in body


def test_widget_is_cached_and_revalidated(shop, make_app):
    client = make_app().test_client()
    first = client.get("/widget.js")
    assert "public" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = client.get("/widget.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_bundle_refuses_a_script_without_exactly_one_placeholder(tmp_path):
    (tmp_path / "widget.js").write_text("var a = 1; // no stylesheet here")
    (tmp_path / "widget.css").write_text(":host{display:block}")
    with pytest.raises(ValueError, match="exactly once"):
        bundle.__wrapped__(tmp_path)


@pytest.mark.parametrize("locale", ["sv", "da", "pl", "nl", "en"])
def test_strings_per_locale_from_the_catalogs(locale, make_app, write_article):
    write_article(locale, "a", title="?", body="!")
    client = make_app().test_client()
    response = client.get(f"/widget/{locale}.json")
    assert response.status_code == 200
    strings = response.json["strings"]
    assert set(STRINGS) <= set(strings)
    assert set(strings["channels"]) >= {"chat", "phone", "email"}
    if locale != "en":
        same = [key for key, text in STRINGS.items() if strings[key] == text]
        assert same == [], f"untranslated in {locale}: {same}"
    assert client.get("/widget/xx.json").status_code == 404


def test_strings_are_open_to_other_origins_on_the_allow_list(make_app, shop):
    client = make_app(FAQ_CORS_ORIGINS="https://shop.example").test_client()
    response = client.get("/widget/sv.json", headers={"Origin": "https://shop.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    other = client.get("/widget/sv.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
