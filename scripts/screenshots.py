"""Screenshots of every demo-shop stage with the widget, for the README.

usage: python3 scripts/screenshots.py [OUT_DIR] [LOCALE ...]   (default docs/screenshots sv nl)

Serves the app and drives Chromium through scripts/live.py; on the payment stage it types a
question the FAQ does not answer, to show the contact block.
"""

from __future__ import annotations

import sys
from pathlib import Path

from live import demo_page
from playwright.sync_api import expect

# (page, file name, whether a question with no answer is typed into the widget)
STAGES = [
    ("product/wool-sweater", "1-product-care", False),
    ("cart", "2-cart", False),
    ("checkout/delivery", "3-checkout-delivery", False),
    ("checkout/payment", "4-checkout-payment", True),
    ("checkout/confirmation", "5-confirmation", False),
    ("order", "6-order", False),
]
UNANSWERED = {
    "sv": "kan jag betala med bitcoin",
    "da": "kan jeg betale med bitcoin",
    "pl": "czy mogę zapłacić bitcoinem",
    "nl": "kan ik met bitcoin betalen",
}


def main(out: Path, locales: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with demo_page(1100, 760) as (url, page):
        for locale in locales:
            for path, name, ask in STAGES:
                page.goto(f"{url}/demo/{locale}/{path}")
                expect(page.locator("[role=option]").first).to_be_visible()
                if ask:
                    page.locator("input[role=combobox]").fill(UNANSWERED[locale])
                    expect(page.locator(".contact")).to_be_visible()
                target = out / f"{locale}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    folder = Path(arguments[0]) if arguments else Path("docs/screenshots")
    main(folder, arguments[1:] or ["sv", "nl"])
