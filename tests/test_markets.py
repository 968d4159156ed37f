"""Market facts: whether a channel is open now and when it opens next, in the market's zone."""

from __future__ import annotations

import datetime as dt

from faq_engine.i18n import Market

FACTS = {
    "country": "SE",
    "currency": "SEK",
    "timezone": "Europe/Stockholm",
    "contact": {
        "chat": "Mon-Fri 09:00-17:00, Sat 10:00-14:00",
        "email_response_hours": 24,
    },
}


def chat(market: Market, when: str) -> dict[str, object]:
    moment = dt.datetime.fromisoformat(when)
    block = market.contact(moment)
    return next(c for c in block["channels"] if c["channel"] == "chat")


def test_open_now_flips_at_the_minute_it_opens_and_closes():
    market = Market("sv", FACTS)
    # Wednesday 2026-11-25, Stockholm is UTC+1 in winter.
    assert chat(market, "2026-11-25T07:59:59+00:00")["open_now"] is False
    assert chat(market, "2026-11-25T07:59:59+00:00")["next_opening"] == "2026-11-25T09:00:00+01:00"
    assert chat(market, "2026-11-25T08:00:00+00:00")["open_now"] is True
    assert chat(market, "2026-11-25T15:59:30+00:00")["open_now"] is True
    assert chat(market, "2026-11-25T16:00:00+00:00")["open_now"] is False


def test_weekend_hours_and_sunday_closed():
    market = Market("sv", FACTS)
    saturday = chat(market, "2026-11-28T12:00:00+01:00")
    assert saturday["open_now"] is True
    sunday = chat(market, "2026-11-29T12:00:00+01:00")
    assert sunday["open_now"] is False
    assert sunday["next_opening"] == "2026-11-30T09:00:00+01:00"
    after_saturday = chat(market, "2026-11-28T14:00:00+01:00")
    assert after_saturday["next_opening"] == "2026-11-30T09:00:00+01:00"


def test_summer_time_is_the_markets_own():
    market = Market("sv", FACTS)
    # 2026-07-01 is a Wednesday; Stockholm is UTC+2 in summer.
    assert chat(market, "2026-07-01T06:59:00+00:00")["open_now"] is False
    assert chat(market, "2026-07-01T07:00:00+00:00")["open_now"] is True


def test_the_block_is_the_same_within_a_minute_and_new_the_next():
    market = Market("sv", FACTS)
    first = market.contact(dt.datetime.fromisoformat("2026-11-25T10:15:05+01:00"))
    again = market.contact(dt.datetime.fromisoformat("2026-11-25T10:15:55+01:00"))
    later = market.contact(dt.datetime.fromisoformat("2026-11-25T10:16:00+01:00"))
    assert again is first
    assert later is not first
    assert later["checked_at"] == "2026-11-25T10:16:00+01:00"
    assert later["channels"] == first["channels"]  # nothing opened or closed at 10:16
