"""The staff dashboard and GET /api/v1/stats on the hand-made week of tests/test_kpis.py:
the same figures in the page, the CSV files and the JSON; the member's language; a content
gap promoted into a draft."""

from __future__ import annotations

import csv
import io

import pytest
from werkzeug.security import generate_password_hash

from faq_engine import create_app
from faq_engine.analytics.keys import hash_key, new_key
from faq_engine.web.dashboard import csv_tables
from faq_engine.web.services import get_services
from tests.test_kpis import EVENTS, TICKETS, at, event, search
from tests.test_staff import PASSWORD, signed_in, submit

WEEK = {"from": "2026-11-02", "to": "2026-11-08"}
FORMULA = '=hyperlink("http://evil.example")'


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("dashboard")
    app = create_app({"FAQ_INSTANCE_DIR": str(base), "FAQ_SECURE_COOKIES": "0", "TESTING": True})
    with app.app_context():
        storage = get_services().storage
        storage.add_user("editor@example.com", generate_password_hash(PASSWORD), "editor")
        storage.add_events(
            [*EVENTS, search(at(6, 12), FORMULA, [], context="general", session=None)]
        )
        storage.add_events([event("open", at(6, 12, 5), article="delivery-time", session=None)])
        storage.save_tickets(TICKETS)
    return app


@pytest.fixture(scope="module")
def key(app) -> str:
    key = new_key()
    with app.app_context():
        get_services().storage.add_api_key("reports", hash_key(key))
    return key


def stats(app, key: str | None, **query: str):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return app.test_client().get("/api/v1/stats", query_string=query, headers=headers)


def test_stats_needs_a_valid_key(app, key):
    missing = stats(app, None, **WEEK)
    assert missing.status_code == 401
    assert missing.json["error"] == {
        "code": "missing_api_key",
        "message": "Send an API key as 'Authorization: Bearer <key>'.",
        "field": "Authorization",
    }
    wrong = stats(app, key + "x", **WEEK)
    assert wrong.status_code == 401 and wrong.json["error"]["code"] == "invalid_api_key"
    basic = app.test_client().get("/api/v1/stats", headers={"Authorization": f"Basic {key}"})
    assert basic.status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-11-09", "to": "2026-11-02"}, "from"),
        ({"from": "2020-01-01", "to": "2026-11-02"}, "from"),
        ({"from": "0001-01-01", "to": "2026-11-02"}, "from"),  # no week before it
        ({"to": "9999-12-31"}, "to"),
        ({"locale": "xx"}, "locale"),
        ({"context": "moon"}, "context"),
        ({"form": "2026-11-02"}, "form"),
    ],
)
def test_stats_names_the_bad_parameter(app, key, query, field):
    response = stats(app, key, **query)
    assert response.status_code == 400
    assert response.json["error"]["field"] == field


def test_stats_gives_the_weeks_figures(app, key):
    found = stats(app, key, **WEEK).json
    assert found["filters"] == {
        "from": "2026-11-02",
        "to": "2026-11-08",
        "locale": None,
        "context": None,
    }
    figures = found["events"]
    assert figures["searches"] == 8 and figures["no_answer"] == 3  # the week and the formula
    assert (figures["sessions"], figures["self_service"]) == (5, 3)
    assert found["tickets"]["tickets"] == 4 and found["tickets"]["repeat_contacts"] == 2
    assert {g["locale"] for g in found["gaps"]} == {"sv"}
    assert sum(g["searches"] for g in found["gaps"]) == 3
    danish = stats(app, key, locale="da", **WEEK).json
    assert danish["events"]["searches"] == 1 and danish["tickets"]["tickets"] == 1


def test_dashboard_and_csv_files_show_the_same_figures(app, key):
    client = signed_in(app)
    page = client.get("/staff/dashboard", query_string=WEEK)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script" not in html and "style=" not in html
    assert html.count("<svg") >= 3
    found = stats(app, key, **WEEK).json
    tables = csv_tables(found)
    assert set(tables) == {
        "daily",
        "hours",
        "gaps",
        "articles",
        "queries",
        "ticket-hours",
        "clusters",
    }
    for name, (columns, rows) in tables.items():
        response = client.get(f"/staff/dashboard/{name}.csv", query_string=WEEK)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        read = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert read[0] == columns and len(read) == len(rows) + 1, name
    daily = client.get("/staff/dashboard/daily.csv", query_string=WEEK).get_data(as_text=True)
    assert "2026-11-02,4,2,1" in daily
    queries = client.get("/staff/dashboard/queries.csv", query_string=WEEK).get_data(as_text=True)
    assert "'" + FORMULA.replace('"', '""') in queries  # a formula is kept as text
    assert client.get("/staff/dashboard/nothing.csv").status_code == 404
    assert client.get("/staff/dashboard", query_string={"from": "x"}).status_code == 400


def test_numbers_and_dates_in_the_members_language(app):
    client = signed_in(app)
    english = client.get("/staff/dashboard", query_string=WEEK).get_data(as_text=True)
    assert "Self-service dashboard" in english and "37.5%" in english  # 3 of 8 found nothing
    assert "November 2, 2026" in english
    saved = submit(client, "/staff/settings", locale="sv")
    assert saved.status_code == 302
    swedish = client.get("/staff/dashboard", query_string=WEEK).get_data(as_text=True)
    assert "Översikt över självservice" in swedish and "37,5\xa0%" in swedish
    assert "2 november 2026" in swedish
    assert submit(client, "/staff/settings", locale="xx").status_code == 400
    submit(client, "/staff/settings", locale="en")


def test_a_content_gap_becomes_a_draft(app):
    client = signed_in(app)
    response = submit(
        client,
        "/staff/gaps/promote",
        "/staff/dashboard?from=2026-11-02&to=2026-11-08",
        locale="sv",
        label="betala med bitcoin",
        period="2026-11-02/2026-11-08",
        question=["betala med bitcoin", "bitcoin"],
    )
    assert response.status_code == 302 and "/staff/drafts/" in response.headers["Location"]
    draft = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "title: betala med bitcoin" in draft and "source: searches 2026-11-02/2026-11-08" in draft
    )
    bad = submit(
        client, "/staff/gaps/promote", "/staff/dashboard", locale="sv", label="x", period="1"
    )
    assert bad.status_code == 400
