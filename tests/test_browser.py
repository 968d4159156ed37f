"""The widget, the demo shop and the help centre in a real headless Chromium (Debian's).

The app is served from a thread of this process, so a test can set the service's clock; the
content is the demo content plus one article full of hostile Markdown.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask, Response
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from faq_engine import create_app, i18n
from faq_engine.storage import events
from faq_engine.web.services import get_services
from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "build" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STAGES = [
    ("product/wool-sweater", "product.care"),
    ("cart", "cart"),
    ("checkout/delivery", "checkout.delivery"),
    ("checkout/payment", "checkout.payment"),
    ("checkout/confirmation", "checkout.confirmation"),
    ("order", "order"),
]
HOSTILE_MARKDOWN = """\
---
title: "Kan jag betala med presentkort i kassan?"
contexts: [checkout.payment]
---
Ja. <script>window.__pwned = "script"</script>
<img src="x" onerror="window.__pwned = 'img'">
[Läs mer](javascript:window.__pwned='link')
<a href="#" onclick="window.__pwned='click'">presentkort</a>
"""
HOSTILE_CSS = """<!doctype html><html lang="sv"><head><style>
* { all: unset !important; font-size: 3px !important; color: red !important; }
input, li, button { display: none !important; }
div { position: fixed !important; left: -9999px !important; }
</style></head><body><h1>Kassan</h1>
<script src="/widget.js" data-locale="sv" data-context="checkout.delivery" async></script>
</body></html>"""


STRICT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"
STRICT_SHOP = """<!doctype html><html lang="da"><head><title>Kassen</title></head><body>
<h1>Kassen</h1>
<script src="/widget.js" data-locale="da" data-context="checkout.delivery" async></script>
</body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    base = tmp_path_factory.mktemp("browser")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "sv" / "gift-card-at-checkout.md").write_text(HOSTILE_MARKDOWN, encoding="utf-8")
    app = create_app({"FAQ_CONTENT_DIR": str(content), "FAQ_INSTANCE_DIR": str(base / "inst")})

    @app.get("/test/hostile-css")
    def hostile_css() -> Response:
        # A shop's page under the shop's own policy, which allows its inline styles.
        page = Response(HOSTILE_CSS, mimetype="text/html")
        page.headers["Content-Security-Policy"] = "style-src 'self' 'unsafe-inline'"
        return page

    @app.get("/test/strict-shop")
    def strict_shop() -> Response:
        # A shop whose policy allows no inline style at all: the widget must still look right.
        page = Response(STRICT_SHOP, mimetype="text/html")
        page.headers["Content-Security-Policy"] = STRICT_POLICY
        return page

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", app
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: run scripts/setup-tests.sh"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    # A Content Security Policy that refuses something shows as a console error.
    opened.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield opened
    context.close()
    assert not errors, errors


def strings(app: Flask, locale: str) -> dict[str, Any]:
    """What the widget says in ``locale``, as the service serves it."""
    from faq_engine.web.widget import strings_for

    with app.app_context():
        return strings_for(locale)


def fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"%\((\w+)\)s", lambda m: values[m.group(1)], text)


def widget(page: Page) -> Any:
    """The widget's parts (Playwright's CSS locators pierce the shadow root)."""
    return page.locator("section.box")


def options(page: Page) -> Any:
    return page.locator("[role=listbox] [role=option]")


def ask(page: Page, question: str) -> None:
    """Type a question into the widget and wait until it has announced the results."""
    page.locator("input[role=combobox]").fill(question)
    expect(page.locator("[role=status]")).not_to_be_empty()


@pytest.mark.parametrize("locale", ["sv", "pl"])
def test_answers_show_before_typing_at_every_stage(
    server: tuple[str, Flask], page: Page, locale: str
) -> None:
    url, app = server
    for path, context in STAGES:
        page.goto(f"{url}/demo/{locale}/{path}")
        expect(options(page).first).to_be_visible()
        shown = options(page).locator("strong").all_inner_texts()
        with app.app_context():
            engine = get_services().engine
            from faq_engine.models import AnswerRequest

            category = "wool" if path.startswith("product") else None
            expected = [
                a.article.title
                for a in engine.answers(AnswerRequest(locale, "", context, category)).answers
            ]
        assert shown == expected, (path, shown, expected)
        assert page.locator("html").get_attribute("lang") == locale


@pytest.mark.parametrize(
    ("locale", "typo", "article"),
    [
        ("sv", "hur lång tid tar leveransn", "delivery-time"),
        ("nl", "retourneeren", "how-to-return"),
    ],
)
def test_misspelt_question_then_open_the_answer_inline(
    server: tuple[str, Flask], page: Page, locale: str, typo: str, article: str
) -> None:
    url, app = server
    page.goto(f"{url}/demo/{locale}/order")
    expect(options(page).first).to_be_visible()
    ask(page, typo)
    with app.app_context():
        title = get_services().engine.article(locale, article).article.title
    option = options(page).filter(has_text=title)
    expect(option).to_be_visible()
    option.click()
    answer = page.locator(".answer")
    expect(answer.locator("h3")).to_have_text(title)
    expect(answer.locator("a[href$='/" + locale + "/help/" + article + "']")).to_be_visible()
    assert page.url == f"{url}/demo/{locale}/order"  # the shopper never left the page


@pytest.mark.parametrize(
    ("locale", "question"), [("sv", "vad kostar frakten"), ("pl", "ile kosztuje dostawa")]
)
def test_keyboard_only(server: tuple[str, Flask], page: Page, locale: str, question: str) -> None:
    url, _ = server
    page.goto(f"{url}/demo/{locale}/checkout/delivery")
    expect(options(page).first).to_be_visible()
    combobox = page.locator("input[role=combobox]")
    # Tab from the page into the widget: the search field is the first stop in the widget.
    page.locator("a.logo").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if combobox.evaluate("e => e.getRootNode().activeElement === e"):
            break
    else:
        pytest.fail("the search field cannot be reached with Tab")
    page.keyboard.type(question)
    expect(page.locator("[role=status]")).to_have_text(re.compile(r"\d"))
    expect(combobox).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    first = options(page).first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(combobox).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    page.keyboard.press("Enter")
    expect(page.locator(".answer h3")).to_be_focused()
    page.keyboard.press("Escape")  # from the open answer back to the list and the field
    expect(combobox).to_be_focused()
    expect(options(page).first).to_be_visible()


@pytest.mark.parametrize(
    ("locale", "question", "address"),
    [
        ("sv", "vad kostar frakten, mejla anna@example.se", "anna@example.se"),
        (
            "pl",
            "ile kosztuje dostawa? piszcie na jan.kowalski@example.pl",
            "jan.kowalski@example.pl",
        ),
    ],
)
def test_feedback_reaches_the_database(
    server: tuple[str, Flask], page: Page, locale: str, question: str, address: str
) -> None:
    url, app = server
    page.goto(f"{url}/demo/{locale}/checkout/delivery")
    ask(page, question)
    options(page).first.click()
    page.locator(".feedback button").first.click()
    expect(page.locator(".feedback")).to_have_text(strings(app, locale)["thanks"])
    with app.app_context():
        rows = get_services().storage.feedback_rows()
    last = rows[-1]
    assert last["helpful"] is True and last["locale"] == locale
    assert last["article"] == "delivery-cost"
    assert last["context"] == "checkout.delivery"
    assert address not in (last["query"] or "")
    assert "[EMAIL]" in (last["query"] or "")


UNANSWERED = {
    "sv": "säljer ni cyklar och bildelar",
    "pl": "czy sprzedajecie rowery i części samochodowe",
}


@pytest.mark.parametrize(
    ("locale", "utc", "state", "values"),
    [
        # Stockholm: chat Mon-Fri 08:00-17:00, Sat 10:00-14:00 (UTC+1 in November).
        ("sv", "2026-11-25T09:30:00+00:00", "open_now", {}),  # Wednesday 10:30
        ("sv", "2026-11-25T06:00:00+00:00", "opens_at", {"time": "08:00"}),  # Wednesday 07:00
        ("sv", "2026-11-28T13:00:00+00:00", "opens_day", {"day": "måndag", "time": "08:00"}),
        ("sv", "2026-11-29T12:00:00+00:00", "opens_day", {"day": "måndag", "time": "08:00"}),
        # Warsaw: chat Mon-Fri 08:00-18:00, closed at weekends.
        ("pl", "2026-11-27T16:59:00+00:00", "open_now", {}),  # Friday 17:59
        ("pl", "2026-11-27T17:00:00+00:00", "opens_day", {"day": "poniedziałek", "time": "08:00"}),
        ("pl", "2026-11-30T06:30:00+00:00", "opens_at", {"time": "08:00"}),  # Monday 07:30
    ],
)
def test_contact_block_open_or_closed_at_a_frozen_clock(
    server: tuple[str, Flask],
    page: Page,
    monkeypatch: pytest.MonkeyPatch,
    locale: str,
    utc: str,
    state: str,
    values: dict[str, str],
) -> None:
    url, app = server
    monkeypatch.setattr(i18n, "utc_now", lambda: dt.datetime.fromisoformat(utc))
    said = strings(app, locale)
    page.goto(f"{url}/demo/{locale}/checkout/payment")
    expect(options(page).first).to_be_visible()
    question = UNANSWERED[locale]
    ask(page, question)
    chat = page.locator(".contact p").filter(has_text=said["channels"]["chat"])
    expect(chat).to_contain_text(fill(said[state], values))
    expect(page.locator(".contact")).to_contain_text(fill(said["email"], {"hours": "24"}))
    expect(page.locator(".contact a.reach")).to_have_attribute(
        "href", f"{url}/{locale}/help/contact"
    )
    expect(page.locator(".contact a").last).to_have_attribute(
        "href", f"{url}/{locale}/help/search?q=" + quote(question)
    )


def test_widget_keeps_its_looks_in_a_page_with_hostile_css(
    server: tuple[str, Flask], page: Page
) -> None:
    url, _ = server
    page.goto(f"{url}/test/hostile-css")
    box = widget(page)
    expect(options(page).first).to_be_visible()
    field = page.locator("input[role=combobox]")
    expect(field).to_be_visible()
    assert field.evaluate("e => getComputedStyle(e).fontSize") != "3px"
    bounds = box.bounding_box()
    assert bounds is not None and bounds["x"] >= 0 and bounds["width"] > 200


def test_widget_is_styled_under_a_shop_policy_without_unsafe_inline(
    server: tuple[str, Flask], page: Page
) -> None:
    url, _ = server
    page.goto(f"{url}/test/strict-shop")
    expect(options(page).first).to_be_visible()
    box = widget(page)
    # The widget's own stylesheet applies: its box has the padding and corners it sets.
    assert box.evaluate("e => getComputedStyle(e).paddingTop") == "14px"
    assert box.evaluate("e => getComputedStyle(e).borderTopLeftRadius") == "10px"


def test_hostile_markdown_and_queries_never_run_script(
    server: tuple[str, Flask], page: Page
) -> None:
    url, _ = server

    def untouched() -> None:
        assert page.evaluate("() => window.__pwned") is None

    page.goto(f"{url}/demo/sv/checkout/payment")
    ask(page, '"><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>')
    expect(page.locator(".contact")).to_be_visible()
    untouched()
    ask(page, "betala med presentkort i kassan")
    options(page).filter(has_text="Kan jag betala med presentkort i kassan?").click()
    answer = page.locator(".answer")
    expect(answer).to_contain_text("Ja.")
    assert answer.locator("script, img[onerror], [onclick], a[href^=javascript]").count() == 0
    answer.locator("a", has_text="presentkort").click()
    untouched()
    page.goto(f"{url}/sv/help/gift-card-at-checkout")
    assert page.locator("main script, main img[onerror], main [onclick]").count() == 0
    untouched()
    page.goto(f"{url}/sv/help/search?q=%22%3E%3Cscript%3Ewindow.__pwned%3D2%3C%2Fscript%3E")
    expect(page.locator("h1")).to_be_visible()
    untouched()


@pytest.mark.parametrize("locale", ["sv", "da"])
def test_no_serious_accessibility_violations(
    server: tuple[str, Flask], page: Page, locale: str
) -> None:
    assert AXE.exists(), "axe-core is missing: run scripts/setup-tests.sh"
    url, _ = server
    pages = [f"/demo/{locale}/{path}" for path, _ in STAGES[:3]]
    pages += [f"/{locale}/help", f"/{locale}/help/delivery-time", f"/{locale}/help/search?q=xyzzy"]
    # Injected by the browser before the page's scripts: the pages' CSP allows no inline script.
    page.add_init_script(path=str(AXE))
    for path in pages:
        page.goto(url + path)
        if path.startswith("/demo"):
            expect(options(page).first).to_be_visible()
            ask(page, "retur")
            expect(page.locator("[role=status]")).not_to_be_empty()
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, (path, serious)


def test_narrow_screen_320px(server: tuple[str, Flask], browser: Browser) -> None:
    url, _ = server
    context = browser.new_context(viewport={"width": 320, "height": 640})
    narrow = context.new_page()
    narrow.goto(f"{url}/demo/sv/checkout/delivery")
    expect(narrow.locator("[role=listbox] [role=option]").first).to_be_visible()
    width = narrow.evaluate("() => document.documentElement.scrollWidth")
    box = narrow.locator("section.box").bounding_box()
    context.close()
    assert width <= 320
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_a_slow_answer_to_an_older_query_never_replaces_a_newer_one(
    server: tuple[str, Flask], page: Page
) -> None:
    url, app = server

    def slow_first(route: Any) -> None:
        if "q=vad+kostar" in route.request.url or "q=vad%20kostar" in route.request.url:
            page.wait_for_timeout(1500)  # the older question's answer arrives last
        route.continue_()

    page.route("**/api/v1/answers?*", slow_first)
    page.goto(f"{url}/demo/sv/checkout/delivery")
    expect(options(page).first).to_be_visible()
    field = page.locator("input[role=combobox]")
    field.fill("vad kostar frakten")
    page.wait_for_timeout(300)  # past the debounce: the slow request is on its way
    field.fill("kan jag betala med swish")
    with app.app_context():
        title = get_services().engine.article("sv", "payment-methods").article.title
    expect(options(page).first).to_have_text(re.compile(re.escape(title)))
    page.wait_for_timeout(2000)  # the slow, older answer has come and gone
    expect(options(page).first).to_have_text(re.compile(re.escape(title)))


def test_single_page_checkout_changes_the_context(server: tuple[str, Flask], page: Page) -> None:
    url, app = server
    page.goto(f"{url}/demo/sv/checkout/delivery")
    expect(options(page).first).to_be_visible()
    page.evaluate("() => FaqEngine.setContext('checkout.payment')")
    with app.app_context():
        from faq_engine.models import AnswerRequest

        engine = get_services().engine
        first = engine.answers(AnswerRequest("sv", "", "checkout.payment")).answers[0]
    expect(options(page).first).to_contain_text(first.article.title)


def test_the_widget_ties_one_page_loads_events_together(
    server: tuple[str, Flask], page: Page
) -> None:
    url, app = server
    question, address = "vad kostar frakten? mejla mig på anna@example.se", "anna@example.se"
    page.goto(f"{url}/demo/sv/checkout/delivery")
    ask(page, question)
    options(page).first.click()
    ask(page, UNANSWERED["sv"])
    expect(page.locator(".contact")).to_be_visible()
    with page.expect_navigation():
        page.locator(".contact a.reach").click()
    assert page.url == f"{url}/sv/help/contact"
    expect(page.locator("h1")).to_have_text(strings(app, "sv")["contact"])
    services = app.extensions["faq_engine"]
    services.recorder.flush()
    with services.storage.engine.connect() as connection:
        session = connection.execute(
            sa.select(events.c.session).where(events.c.type == "contact_click")
        ).scalar()
        rows = connection.execute(
            sa.select(events).where(events.c.session == session).order_by(events.c.id)
        ).all()
    assert re.fullmatch(r"[0-9a-f]{24}", session or "")
    assert [r.type for r in rows] == ["search", "open", "search", "contact_shown", "contact_click"]
    assert rows[1].article == "delivery-cost" and rows[1].context == "checkout.delivery"
    assert address not in rows[0].query and "[email]" in rows[0].query
    assert rows[2].no_answer is True
    assert "faq" not in {c["name"] for c in page.context.cookies()}
