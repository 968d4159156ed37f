"""What the API, the help centre and the widget's endpoint record, and that recording never
stands in the way of an answer: not when the database is down either."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from faq_engine.storage import events

SESSION = "a1b2c3d4e5f6a7b8"


@pytest.fixture
def app(shop, make_app):
    return make_app()


def recorded(app) -> list[dict]:
    services = app.extensions["faq_engine"]
    services.recorder.flush()
    with services.storage.engine.connect() as connection:
        rows = connection.execute(sa.select(events).order_by(events.c.id))
        return [dict(r._mapping) for r in rows]


def test_typing_steps_become_one_search_redacted(app):
    client = app.test_client()
    for q in ("vad", "vad kos", "vad kostar frakten"):
        assert (
            client.get(
                "/api/v1/answers", query_string={"locale": "sv", "q": q, "session": SESSION}
            ).status_code
            == 200
        )
    client.get(
        "/api/v1/answers",
        query_string={
            "locale": "sv",
            "q": "Säljer ni barnvagnar? Mejla anna@example.se",
            "session": SESSION,
            "context": "checkout.payment",
        },
    )
    client.get("/api/v1/answers", query_string={"locale": "sv"})  # before typing: no search
    rows = recorded(app)
    assert [(r["type"], r["query"]) for r in rows] == [
        ("search", "vad kostar frakten"),
        ("search", "säljer ni barnvagnar? mejla [email]"),
        ("contact_shown", None),
    ]
    first, second, shown = rows
    assert first["answers"].split()[0] == "delivery-cost" and first["no_answer"] is False
    assert second["no_answer"] is True and second["answers"] is None
    assert second["context"] == shown["context"] == "checkout.payment"
    assert {r["session"] for r in rows} == {SESSION}
    assert app.extensions["faq_engine"].recorder.counters.merged == 2


def test_the_widget_reports_opened_answers_and_contact_clicks(app):
    client = app.test_client()
    opened = client.post(
        "/api/v1/events",
        json={"type": "open", "session": SESSION, "locale": "sv", "article": "delivery-time"},
    )
    clicked = client.post(
        "/api/v1/events",
        json={"type": "contact_click", "session": SESSION, "locale": "sv", "context": "cart"},
    )
    assert opened.status_code == clicked.status_code == 202
    feedback = client.post(
        "/api/v1/feedback",
        json={"article": "delivery-time", "locale": "sv", "helpful": True, "session": SESSION},
    )
    assert feedback.status_code == 201
    rows = recorded(app)
    assert [(r["type"], r["article"], r["session"]) for r in rows] == [
        ("open", "delivery-time", SESSION),
        ("contact_click", None, SESSION),
        ("feedback", "delivery-time", SESSION),
    ]
    assert rows[1]["open_now"] in (True, False) and rows[2]["helpful"] is True


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"type": "search", "session": SESSION, "locale": "sv"}, "type", 400),
        ({"type": "open", "locale": "sv", "article": "delivery-time"}, "session", 400),
        ({"type": "open", "session": "short", "locale": "sv"}, "session", 400),
        ({"type": "open", "session": "<script>alert(1)</script>", "locale": "sv"}, "session", 400),
        ({"type": "open", "session": SESSION, "locale": "xx", "article": "a"}, "locale", 400),
        ({"type": "open", "session": SESSION, "locale": "sv"}, "article", 400),
        ({"type": "open", "session": SESSION, "locale": "sv", "article": "nope"}, "article", 404),
        (
            {"type": "contact_click", "session": SESSION, "locale": "sv", "context": "moon"},
            "context",
            400,
        ),
        ({"type": "contact_click", "session": SESSION, "locale": "sv", "query": 7}, "query", 400),
        ({"type": "contact_click", "session": SESSION, "locale": "sv", "ip": "1.2.3.4"}, "ip", 400),
    ],
)
def test_bad_events_are_refused_naming_the_field(app, payload, field, status):
    response = app.test_client().post("/api/v1/events", json=payload)
    assert response.status_code == status
    assert response.json["error"]["field"] == field
    assert recorded(app) == []


def test_abuse_is_bounded(make_app, shop):
    app = make_app(FAQ_RATE_LIMIT_API="")  # the events' own bound per session, alone
    client = app.test_client()
    big = client.post("/api/v1/events", data="x" * 5000, content_type="application/json")
    assert big.status_code == 413 and big.json["error"]["code"] == "too_large"
    event = {"type": "contact_click", "session": SESSION, "locale": "sv"}
    statuses = [client.post("/api/v1/events", json=event).status_code for _ in range(305)]
    assert statuses.count(202) == 300 and statuses[-1] == 429
    refused = client.post("/api/v1/events", json=event).json["error"]
    assert refused["code"] == "too_many_events" and refused["field"] == "session"
    assert len(recorded(app)) == 300


def test_the_help_centre_records_its_searches(app):
    client = app.test_client()
    assert client.get("/sv/help/search?q=vad+kostar+frakten").status_code == 200
    assert client.get("/sv/help/contact").status_code == 200
    (row,) = recorded(app)
    assert (row["type"], row["query"], row["session"]) == ("search", "vad kostar frakten", None)


def test_recording_can_be_turned_off(shop, make_app):
    app = make_app(FAQ_EVENTS="0")
    app.test_client().get("/api/v1/answers?locale=sv&q=frakt&session=" + SESSION)
    assert recorded(app) == []


def test_answers_go_on_when_the_database_is_down(shop, make_app):
    app = make_app(
        DATABASE_URL="postgresql+psycopg://nobody:x@127.0.0.1:1/none", FAQ_RATE_LIMIT_API=""
    )
    client = app.test_client()
    start = time.perf_counter()
    for _ in range(20):
        response = client.get(f"/api/v1/answers?locale=sv&q=vad+kostar+frakten&session={SESSION}")
        assert response.status_code == 200 and response.json["answers"]
    assert time.perf_counter() - start < 5
    event = {"type": "open", "session": SESSION, "locale": "sv", "article": "delivery-time"}
    assert client.post("/api/v1/events", json=event).status_code == 202
    assert client.get("/sv/help/delivery-time").status_code == 200
    recorder = app.extensions["faq_engine"].recorder
    recorder.flush()
    assert recorder.counters.dropped >= 2 and recorder.counters.recorded == 0
    down = client.post(
        "/api/v1/feedback", json={"article": "delivery-time", "locale": "sv", "helpful": True}
    )
    assert down.status_code == 503 and down.json["error"]["code"] == "database_unavailable"
    stats = client.get("/api/v1/stats", headers={"Authorization": "Bearer faq_x"})
    assert stats.status_code == 503
