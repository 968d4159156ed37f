"""Screenshots of every demo-shop stage with the widget, for the README.

usage: python3 scripts/screenshots.py [OUT_DIR] [LOCALE ...]   (default docs/screenshots sv nl)

Serves the app on the bundled demo content from a thread, drives Debian's Chromium
(scripts/setup-tests.sh installs it) and, on the stages where a question is typed, types it.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from faq_engine import create_app

# (page, file name, question typed into the widget or None)
STAGES = [
    ("product/wool-sweater", "1-product-care", None),
    ("cart", "2-cart", None),
    ("checkout/delivery", "3-checkout-delivery", None),
    ("checkout/payment", "4-checkout-payment", "QUESTION"),
    ("checkout/confirmation", "5-confirmation", None),
    ("order", "6-order", None),
]
UNANSWERED = {
    "sv": "kan jag betala med bitcoin",
    "da": "kan jeg betale med bitcoin",
    "pl": "czy mogę zapłacić bitcoinem",
    "nl": "kan ik met bitcoin betalen",
}


def main(out: Path, locales: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"FAQ_INSTANCE_DIR": tmp})
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1100, "height": 760})
            for locale in locales:
                for path, name, question in STAGES:
                    page.goto(f"{url}/demo/{locale}/{path}")
                    expect(page.locator("[role=option]").first).to_be_visible()
                    if question:
                        page.locator("input[role=combobox]").fill(UNANSWERED[locale])
                        expect(page.locator(".contact")).to_be_visible()
                    target = out / f"{locale}-{name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    folder = Path(arguments[0]) if arguments else Path("docs/screenshots")
    main(folder, arguments[1:] or ["sv", "nl"])
