"""Rate limits on the API, feedback and sign-in: 429 in the error shape with Retry-After;
failed sign-ins throttled per account whatever the address; security headers everywhere."""

from __future__ import annotations

import re

from werkzeug.security import generate_password_hash

from faq_engine.web.services import get_services

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def assert_too_many(response, field_in_message: str | None = None) -> None:
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 3600
    body = response.get_json()
    assert body["error"]["code"] == "rate_limited" and body["error"]["field"] is None
    assert body["error"]["retry_after"] == seconds
    if field_in_message:
        assert field_in_message in body["error"]["message"]


def test_the_api_limit_answers_429_with_retry_after(shop, make_app):
    client = make_app(FAQ_RATE_LIMIT_API="5/minute").test_client()
    for _ in range(5):
        assert client.get("/api/v1/answers?locale=sv&q=frakt").status_code == 200
    assert_too_many(client.get("/api/v1/answers?locale=sv&q=frakt"), "5 per 1 minute")
    assert_too_many(client.get("/api/v1/locales"))  # the limit is the whole API's
    assert client.get("/sv/help").status_code == 200  # the help pages are not the API
    other = client.get("/api/v1/locales", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # counted per client address


def test_feedback_has_its_own_tighter_limit(shop, make_app):
    client = make_app(FAQ_RATE_LIMIT_FEEDBACK="2/minute").test_client()
    vote = {"article": "delivery-time", "locale": "sv", "helpful": True}
    for _ in range(2):
        assert client.post("/api/v1/feedback", json=vote).status_code == 201
    assert_too_many(client.post("/api/v1/feedback", json=vote))
    assert client.get("/api/v1/answers?locale=sv&q=frakt").status_code == 200


def test_sign_in_is_limited_per_address_and_failures_per_account(shop, make_app):
    app = make_app(
        FAQ_SECURE_COOKIES="0", FAQ_RATE_LIMIT_LOGIN="100/minute", FAQ_LOGIN_FAILURES="3/hour"
    )
    with app.app_context():
        get_services().storage.add_user(
            "editor@example.com", generate_password_hash(PASSWORD), "editor"
        )

    def attempt(password: str, address: str):
        client = app.test_client()
        page = client.get("/staff/login", environ_base={"REMOTE_ADDR": address})
        form = {
            "email": "Editor@Example.com ",
            "password": password,
            "csrf_token": TOKEN.search(page.get_data(as_text=True))[1],
        }
        return client.post("/staff/login", data=form, environ_base={"REMOTE_ADDR": address})

    for n in range(3):  # guesses from three addresses
        assert attempt("wrong password!", f"10.0.1.{n}").status_code == 401
    refused = attempt(PASSWORD, "10.0.1.99")  # even the right password, from a new address
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1

    per_address = make_app(FAQ_SECURE_COOKIES="0", FAQ_RATE_LIMIT_LOGIN="2/minute")
    client = per_address.test_client()
    token = TOKEN.search(client.get("/staff/login").get_data(as_text=True))[1]
    form = {"email": "x@example.com", "password": "nope", "csrf_token": token}
    assert [client.post("/staff/login", data=form).status_code for _ in range(3)] == [
        401,
        401,
        429,
    ]


def test_security_headers_on_pages_api_and_widget(shop, make_app):
    client = make_app(FAQ_FRAME_ANCESTORS="'self' https://shop.example").test_client()
    page = client.get("/sv/help")
    policy = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'self' https://shop.example" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    staff = client.get("/staff/login")
    assert "frame-ancestors 'none'" in staff.headers["Content-Security-Policy"]
    assert staff.headers["X-Frame-Options"] == "DENY"
    api = client.get("/api/v1/locales", headers={"Origin": "https://shop.example"})
    assert api.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert api.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert api.headers["Access-Control-Allow-Origin"] in ("*", "https://shop.example")
    assert len(api.headers["X-Request-ID"]) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234"})
    assert kept.headers["X-Request-ID"] == "lb-1234"
    assert client.get("/widget.js").headers["Cross-Origin-Resource-Policy"] == "cross-origin"
