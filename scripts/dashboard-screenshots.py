"""Screenshots of the staff dashboard on a month of demo data, for the README.

usage: python3 scripts/dashboard-screenshots.py [OUT_DIR] [LOCALE ...]   (default docs/screenshots en sv)

Fills a temporary database with ``faq-engine db demo``, signs a staff member in through the
login form, sets their language on the settings page and takes the whole dashboard, then the
same dashboard for one market and the Swedish checkout.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask
from live import demo_page
from playwright.sync_api import Page
from werkzeug.security import generate_password_hash

from faq_engine.cli import main as cli
from faq_engine.web.services import get_services

EMAIL, PASSWORD = "staff@example.com", "a demo password only"


def prepare(app: Flask, instance: str) -> None:
    url = app.config["DATABASE_URL"]
    cli(["db", "demo", "--url", url])
    with app.app_context():
        get_services().storage.add_user(EMAIL, generate_password_hash(PASSWORD), "admin")


def main(out: Path, locales: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with demo_page(1280, 900, prepare) as (url, page):
        page.goto(f"{url}/staff/login")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        for locale in locales:
            page.goto(f"{url}/staff/settings")
            page.select_option("select[name=locale]", locale)
            page.click("form.filters button[type=submit]")
            for suffix, query in (("", ""), ("-sv-checkout", "?locale=sv&context=checkout")):
                page.goto(f"{url}/staff/dashboard{query}")
                target = out / f"dashboard-{locale}{suffix}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                if not suffix:
                    sections(page, out, locale)


def sections(page: Page, out: Path, locale: str) -> None:
    """Each section of the dashboard on its own, readable at the README's width."""
    found = page.locator("main section")
    for n in range(found.count()):
        name = (found.nth(n).get_attribute("aria-labelledby") or str(n)).removeprefix("h-")
        target = out / f"dashboard-{locale}-{name}.png"
        found.nth(n).screenshot(path=str(target))
        print(target)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    folder = Path(arguments[0]) if arguments else Path("docs/screenshots")
    main(folder, arguments[1:] or ["en", "sv"])
