"""Every KPI on a small hand-made set of events and tickets whose answers are worked out by
hand below, on SQLite and on a real PostgreSQL server.

The week is Monday 2 to Sunday 8 November 2026 (UTC+1 in every market).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from faq_engine.analytics import kpis
from faq_engine.analytics.kpis import (
    Filters,
    cluster_volume,
    content_gaps,
    event_kpis,
    ticket_kpis,
    unanswered_queries,
)
from faq_engine.models import Ticket
from faq_engine.storage import Storage

ZONES = {"sv": ZoneInfo("Europe/Stockholm"), "da": ZoneInfo("Europe/Copenhagen")}
WEEK = Filters(dt.date(2026, 11, 2), dt.date(2026, 11, 8))


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    """A moment in UTC."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def event(kind: str, moment: dt.datetime, locale: str = "sv", **fields: object) -> dict:
    return {
        "type": kind,
        "at": moment,
        "hour": int(moment.timestamp() // 3600),
        "locale": locale,
        **fields,
    }


def search(moment, query, answers, locale="sv", **fields):
    return event(
        "search",
        moment,
        locale,
        query=query,
        answers=" ".join(answers) or None,
        no_answer=not answers,
        **fields,
    )


S1 = {"session": "session-1", "context": "checkout.delivery"}
S2 = {"session": "session-2", "context": "checkout.payment"}
S3 = {"session": "session-3", "context": "order.tracking"}
S4 = {"session": "session-4", "context": "checkout.delivery"}
S5 = {"session": "session-5", "context": "product.care"}
GENERAL = {"session": None, "context": "general"}

EVENTS = [
    # S1 (Monday 10:15 in Stockholm): found, opened, helpful: served itself.
    search(at(2, 9, 15), "vad kostar frakten", ["delivery-cost"], **S1),
    event("open", at(2, 9, 16), article="delivery-cost", **S1),
    event("feedback", at(2, 9, 17), article="delivery-cost", helpful=True, **S1),
    # S2 (Monday 10:40): nothing twice, contact shown, clicked while chat was open.
    search(at(2, 9, 40), "betala med bitcoin", [], **S2),
    event("contact_shown", at(2, 9, 40), **S2),
    search(at(2, 9, 42), "bitcoin", [], **S2),
    event("contact_click", at(2, 9, 44), open_now=True, **S2),
    # S3 (Saturday 20:30): found, opened, not helpful, clicked contact after hours.
    search(at(7, 19, 30), "var är mitt paket", ["track-order", "delivery-time"], **S3),
    event("open", at(7, 19, 31), article="track-order", **S3),
    event("feedback", at(7, 19, 32), article="track-order", helpful=False, **S3),
    event("contact_click", at(7, 19, 33), open_now=False, **S3),
    # S4 (Danish, Tuesday 08:05 in Copenhagen): found; not opened, no contact.
    search(at(3, 7, 5), "fragt", ["delivery-cost"], locale="da", **S4),
    # S5 (Wednesday noon): opened an answer shown before typing, no search.
    event("open", at(4, 11, 0), article="care-wool", **S5),
    # The help centre (no session), Thursday 15:00.
    search(at(5, 14, 0), "vad kostar frakten", ["delivery-cost"], **GENERAL),
    # Monday 00:30 in Stockholm (Sunday 23:30 UTC): in the week.
    search(at(1, 23, 30), "vad kostar frakten", ["delivery-cost"], **GENERAL),
    # Sunday 1 November 23:50 and Monday 9 November 00:10 in Stockholm: outside.
    search(at(1, 22, 50), "utanför", [], **GENERAL),
    search(at(8, 23, 10), "utanför", [], **GENERAL),
]


@pytest.fixture
def storage(database_url):
    storage = Storage(database_url)
    storage.add_events(EVENTS)
    yield storage
    storage.dispose()


def figures(storage: Storage, filters: Filters = WEEK) -> dict:
    with storage.engine.connect() as connection:
        return event_kpis(connection, filters, ZONES)


def test_counts_and_rates(storage):
    found = figures(storage)
    assert found["searches"] == 7
    assert found["no_answer"] == 2 and found["no_answer_rate"] == round(2 / 7, 4)
    assert (found["answers_opened"], found["feedback"]) == (3, 2)
    assert (found["contact_shown"], found["contact_clicks"]) == (1, 2)
    assert found["contact_outside_hours"] == 1 and found["contact_outside_hours_share"] == 0.5


def test_sessions_self_service_and_repeated_searches(storage):
    found = figures(storage)
    assert found["sessions"] == 5  # S1-S5; the help centre's searches have none
    assert found["self_service"] == 3 and found["self_service_rate"] == 0.6  # S1, S4, S5
    assert found["repeated_sessions"] == 1 and found["repeated_rate"] == 0.2  # S2


def test_days_and_busiest_hours_in_the_markets_time(storage):
    found = figures(storage)
    daily = {d["day"]: (d["searches"], d["no_answer"], d["contact_clicks"]) for d in found["daily"]}
    assert daily == {
        "2026-11-02": (4, 2, 1),
        "2026-11-03": (1, 0, 0),
        "2026-11-04": (0, 0, 0),
        "2026-11-05": (1, 0, 0),
        "2026-11-06": (0, 0, 0),
        "2026-11-07": (1, 0, 1),
        "2026-11-08": (0, 0, 0),
    }
    heat = found["busiest_hours"]
    cells = {(d, h): heat[d][h] for d in range(7) for h in range(24) if heat[d][h]}
    assert cells == {(0, 0): 1, (0, 10): 3, (1, 8): 1, (3, 15): 1, (5, 20): 1}


def test_helpfulness_per_article_least_helpful_first(storage):
    rows = [
        (a["article"], a["opened"], a["helpful"], a["not_helpful"], a["helpful_share"])
        for a in figures(storage)["articles"]
    ]
    assert rows == [
        ("track-order", 1, 0, 1, 0.0),
        ("delivery-cost", 1, 1, 0, 1.0),
        ("care-wool", 1, 0, 0, None),
    ]


def test_top_queries_per_context(storage, monkeypatch):
    top = [
        (q["locale"], q["context"], q["query"], q["searches"], q["no_answer"])
        for q in figures(storage)["top_queries"]
    ]
    assert top == [
        ("da", "checkout.delivery", "fragt", 1, 0),
        ("sv", "checkout.delivery", "vad kostar frakten", 1, 0),
        ("sv", "checkout.payment", "betala med bitcoin", 1, 1),
        ("sv", "checkout.payment", "bitcoin", 1, 1),
        ("sv", "general", "vad kostar frakten", 2, 0),
        ("sv", "order.tracking", "var är mitt paket", 1, 0),
    ]
    monkeypatch.setattr(kpis, "TOP_QUERIES", 1)
    payment = [
        q["query"] for q in figures(storage)["top_queries"] if q["context"] == "checkout.payment"
    ]
    assert payment == ["betala med bitcoin"]


def test_filters_by_locale_context_and_days(storage):
    danish = figures(storage, Filters(WEEK.start, WEEK.end, ("da",)))
    assert (danish["searches"], danish["sessions"], danish["self_service_rate"]) == (1, 1, 1.0)
    checkout = figures(storage, Filters(WEEK.start, WEEK.end, context="checkout"))
    assert checkout["searches"] == 4  # S1, S2 twice, S4: every child of checkout
    assert checkout["contact_clicks"] == 1 and checkout["sessions"] == 3
    payment = figures(storage, Filters(WEEK.start, WEEK.end, context="checkout.payment"))
    assert (payment["searches"], payment["no_answer_rate"]) == (2, 1.0)
    monday = figures(storage, Filters(WEEK.start, WEEK.start))
    assert monday["searches"] == 4 and [d["day"] for d in monday["daily"]] == ["2026-11-02"]
    empty = figures(storage, Filters(dt.date(2025, 1, 1), dt.date(2025, 1, 2)))
    assert empty["searches"] == 0 and empty["no_answer_rate"] is None
    assert empty["self_service_rate"] is None and empty["articles"] == []


def test_content_gaps_group_unanswered_queries(storage):
    with storage.engine.connect() as connection:
        unanswered = unanswered_queries(connection, WEEK, ZONES)
    assert unanswered == {"sv": [("betala med bitcoin", 1), ("bitcoin", 1)]}
    asked: list[tuple[str, list[str]]] = []

    def one_group(locale, tickets):
        asked.append((locale, [t.body for t in tickets]))
        return [SimpleNamespace(label="bitcoin", tickets=[t.id for t in tickets], article=None)]

    gaps = content_gaps({"sv": [("bitcoin", 3), ("betala med bitcoin", 1)]}, one_group)
    assert asked == [("sv", ["bitcoin", "betala med bitcoin"])]
    assert gaps == [
        {
            "locale": "sv",
            "label": "bitcoin",
            "searches": 4,
            "queries": ["bitcoin", "betala med bitcoin"],
            "article": None,
        }
    ]


def ticket(tid, locale, created, reply=None, solved=None, status=None, requester=None):
    return Ticket(
        id=tid,
        locale=locale,
        subject="",
        body="?",
        created_at=created,
        first_reply_at=reply,
        solved_at=solved,
        status=status,
        requester=requester,
    )


TICKETS = [
    ticket("T1", "sv", at(2, 9), reply=at(2, 15), solved=at(3, 9), requester="h1"),
    ticket("T2", "sv", at(4, 9), reply=at(5, 12), status="open", requester="h1"),
    ticket("T3", "da", at(6, 22, 30), status="closed", requester="h2"),
    ticket("T4", "sv", at(29, 10, month=10), requester="h3"),
    ticket("T5", "sv", at(3, 10), reply=at(3, 11), solved=at(3, 12), requester="h3"),
    ticket("T6", "sv", at(20, 10), reply=at(20, 11), requester="h1"),
]


def test_ticket_kpis(storage):
    storage.save_tickets(TICKETS)
    # As the dashboard reads them: from a week before the range (for repeat contacts).
    read = list(storage.iter_tickets(since=at(25, 0, month=10), until=at(10, 0)))
    assert [t.id for t in read] == ["T4", "T1", "T5", "T2", "T3"]
    found = ticket_kpis(read, WEEK, ZONES, {"sv": 24, "da": 24})
    assert found["tickets"] == 4  # T1, T2, T3, T5
    assert found["first_response"] == {
        "answered": 3,
        "unanswered": 1,
        "median_hours": 6.0,  # 1 h, 6 h, 27 h
        "within_promise": 2,
        "within_promise_share": round(2 / 3, 4),
        "promise_hours": [24],
    }
    # T2 two days after T1; T5 five days after T4, which is before the week.
    assert (found["with_requester"], found["repeat_contacts"], found["repeat_rate"]) == (4, 2, 0.5)
    assert (found["resolved"], found["resolution_rate"]) == (3, 0.75)  # T1, T3 closed, T5
    heat = found["busiest_hours"]
    cells = {(d, h): heat[d][h] for d in range(7) for h in range(24) if heat[d][h]}
    assert cells == {(0, 10): 1, (1, 11): 1, (2, 10): 1, (4, 23): 1}
    danish = ticket_kpis(read, Filters(WEEK.start, WEEK.end, ("da",)), ZONES, {"da": 24})
    assert danish["tickets"] == 1 and danish["first_response"]["median_hours"] is None


def test_cluster_volume_per_week():
    by_key = {(t.locale, t.id): t for t in TICKETS}
    clusters = [
        SimpleNamespace(id="da-1", locale="da", label="a", tickets=["T3"], article=None),
        SimpleNamespace(
            id="sv-1", locale="sv", label="b", tickets=["T1", "T2", "T5", "T6"], article="x"
        ),
        SimpleNamespace(id="sv-2", locale="sv", label="c", tickets=["T4"], article=None),
    ]
    two_weeks = Filters(dt.date(2026, 11, 2), dt.date(2026, 11, 15))
    rows = cluster_volume(clusters, by_key, two_weeks, ZONES)
    assert [(r["cluster"], r["tickets"]) for r in rows] == [("sv-1", 3), ("da-1", 1)]
    assert rows[0]["weeks"] == [
        {"week": "2026-11-02", "tickets": 3},
        {"week": "2026-11-09", "tickets": 0},
    ]
