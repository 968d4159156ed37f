"""Security headers on every response, and the client's address behind trusted proxies.

Pages get a Content Security Policy without ``'unsafe-inline'``: every script and stylesheet
is a file of this service (the JSON-LD blocks are data, which CSP does not govern). The
widget is the exception by design: ``/widget.js`` runs in the shop's page under the shop's
policy, so it may be loaded from anywhere (``Cross-Origin-Resource-Policy: cross-origin``),
and the widget keeps its stylesheet in a constructed stylesheet of its shadow root.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
SHARED = ("/api/", "/widget")  # read by other sites' pages (CORS or a script tag)


def register(app: Flask) -> None:
    settings = app.config
    proxies = int(settings["FAQ_TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    ancestors = str(settings["FAQ_FRAME_ANCESTORS"]).strip() or "'none'"
    help_pages = PAGE_POLICY.format(ancestors=ancestors)
    staff_pages = PAGE_POLICY.format(ancestors="'none'")

    @app.after_request
    def headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        shared = request.path.startswith(SHARED)
        h.setdefault("Cross-Origin-Resource-Policy", "cross-origin" if shared else "same-origin")
        if response.mimetype == "text/html":
            staff = request.path.startswith("/staff")
            h.setdefault("Content-Security-Policy", staff_pages if staff else help_pages)
            if staff or ancestors == "'none'":
                h.setdefault("X-Frame-Options", "DENY")
            h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
            h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        else:
            h.setdefault("Content-Security-Policy", DATA_POLICY)
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
