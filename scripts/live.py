"""The service on the bundled demo content, served from a thread, and Debian's Chromium
(scripts/setup-tests.sh installs it) with a page open on it: for the scripts beside this."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from faq_engine import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def demo_page(
    width: int = 1280, height: int = 720, prepare: Callable[[Flask, str], None] | None = None
) -> Iterator[tuple[str, Page]]:
    """(the service's URL, a browser page) for as long as the block runs; ``prepare(app,
    instance folder)`` runs before the server starts."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"FAQ_INSTANCE_DIR": tmp, "FAQ_SECURE_COOKIES": "0"})
        if prepare is not None:
            prepare(app, tmp)
        httpd = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    yield f"http://127.0.0.1:{httpd.server_port}", page
                finally:
                    browser.close()
        finally:
            httpd.shutdown()
