"""Security headers on every response, and the client's address behind trusted proxies.

Pages get a Content Security Policy without ``'unsafe-inline'``: every script and stylesheet
is a file of this service (the JSON-LD blocks are data, which CSP does not govern). The
widget is the exception by design: ``/widget.js`` runs in the shop's page under the shop's
policy, so it may be loaded from anywhere (``Cross-Origin-Resource-Policy: cross-origin``),
and the widget keeps its stylesheet in a constructed stylesheet of its shadow root.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from ..cache import LRU

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

    # The headers each kind of response gets unless its view set them itself.
    common = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin")]
    page = [
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    framing = [("X-Frame-Options", "DENY")]
    kinds = {
        # (shared, html, staff)
        (shared, html, staff): common
        + [("Cross-Origin-Resource-Policy", "cross-origin" if shared else "same-origin")]
        + (
            [("Content-Security-Policy", staff_pages if staff else help_pages)]
            + (framing if staff or ancestors == "'none'" else [])
            + page
            if html
            else [("Content-Security-Policy", DATA_POLICY)]
        )
        for shared in (True, False)
        for html in (True, False)
        for staff in (True, False)
    }
    # Each with its name in lower case, as the check for one the view set compares it.
    lowered = {kind: [(n.lower(), n, v) for n, v in pairs] for kind, pairs in kinds.items()}

    @app.after_request
    def headers(response: Response) -> Response:
        h = response.headers
        path = request.path
        html = response.mimetype == "text/html"
        wanted = lowered[path.startswith(SHARED), html, html and path.startswith("/staff")]
        present = {name.lower() for name, _ in h.items()}
        for low, name, value in wanted:
            if low not in present:
                h.add(name, value)
        if request.is_secure and "strict-transport-security" not in present:
            h.add("Strict-Transport-Security", "max-age=31536000")
        return response


def cors(app: Flask, origins: Any) -> None:
    """flask-cors on the API and the widget, for the origins allowed; what it adds is kept.

    flask-cors works its headers out again for every response (the resources matched, the
    origin checked against the allow-list), about 0.02 ms an answer. What it adds depends
    on nothing but the path, the method, the ``Origin`` and the preflight's request headers,
    so its headers are kept for each of those (a bounded cache) and added again.
    """
    CORS(app, resources={r"/api/*": {"origins": origins}, r"/widget/*": {"origins": origins}})
    hooks = app.after_request_funcs[None]
    evaluate = hooks[-1]
    kept: LRU[list[tuple[str, str]]] = LRU(2048)

    def cached(response: Response) -> Response:
        if "Access-Control-Allow-Origin" in response.headers:  # set by the view: as flask-cors
            return response
        environ = request.environ
        key = (
            request.path,
            request.method,
            environ.get("HTTP_ORIGIN"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
        )
        learnt = False

        def learn() -> list[tuple[str, str]]:
            nonlocal learnt
            before = len(response.headers)
            evaluate(response)  # flask-cors only ever adds headers
            learnt = True
            return list(response.headers.items())[before:]

        added = kept.get(key, learn)
        if not learnt:
            for name, value in added:
                response.headers.add(name, value)
        return response

    hooks[-1] = cached
