"""A realistic month of widget events for every market, so the dashboard is worth a look on
first run (``faq-engine db demo``) and so its queries can be timed on a million events.

Shoppers' sessions follow the day (a lunch and an evening peak in the market's time zone,
busier on weekdays); their queries are the ones in ``data/demo-queries.yml``, answered by the
engine itself, so no-answer flags and answer ids are what the service would record. A
shopper who found nothing is shown the contact block and often clicks it; one who found an
answer usually opens it and sometimes says whether it helped.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..config import PROJECT_ROOT
from ..engine import Engine
from ..i18n import Market, Markets
from ..models import AnswerRequest
from .recorder import epoch_hour, normalise_query

QUERIES = Path(__file__).resolve().parent.parent / "data" / "demo-queries.yml"
SAMPLE_TICKETS = PROJECT_ROOT / "samples" / "tickets.jsonl"
# Share of a day's sessions starting in each local hour: quiet nights, lunch and evening peaks.
HOURS = [
    1,
    0.5,
    0.3,
    0.2,
    0.2,
    0.4,
    1,
    2,
    3.5,
    4,
    4.5,
    5,
    6,
    5.5,
    4.5,
    4,
    4,
    4.5,
    5,
    6.5,
    7,
    6.5,
    4.5,
    2.5,
]
WEEKDAYS = [1.15, 1.1, 1.05, 1.0, 0.9, 0.8, 1.0]  # Monday first; Sunday evening shopping
SESSIONS_PER_DAY = {"sv": 320, "da": 150, "pl": 260, "nl": 210}


@dataclass(frozen=True)
class Query:
    text: str
    context: str
    answers: tuple[str, ...]
    weight: float  # how often it is asked: a few questions are asked far more than the rest


def load_queries(engine: Engine, path: Path = QUERIES) -> dict[str, list[Query]]:
    """Each locale's demo queries with what the engine answers them (asked once each)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: dict[str, list[Query]] = {}
    for locale in engine.locales:
        lists = data.get(locale) or {}
        # Answered questions in the file's order of popularity; the ones the FAQ does not
        # cover are asked about a fifth of the time.
        entries = [(e, 1 / (n + 1) ** 0.7) for n, e in enumerate(lists.get("answered", []))]
        entries += [(e, 0.2 / (n + 1) ** 0.5) for n, e in enumerate(lists.get("unanswered", []))]
        queries = []
        for entry, weight in entries:
            context = entry.get("context") or "general"
            result = engine.answers(AnswerRequest(locale, entry["q"], context, limit=5))
            ids = tuple(a.article.id for a in result.answers)
            queries.append(Query(normalise_query(entry["q"]), context, ids, weight))
        if queries:
            found[locale] = queries
    return found


def demo_events(
    engine: Engine,
    markets: Markets,
    days: int = 30,
    end: dt.date | None = None,
    scale: float = 1.0,
    seed: int = 7,
) -> Iterator[dict[str, Any]]:
    """Events of ``days`` days up to ``end`` (today), about 2,500 a day at ``scale`` 1."""
    rng = random.Random(seed)
    queries = load_queries(engine)
    now = dt.datetime.now(dt.UTC)
    end = end or now.date()
    helpfulness: dict[str, float] = {}
    for offset in range(days - 1, -1, -1):
        day = end - dt.timedelta(days=offset)
        for locale, pool in queries.items():
            market = markets.get(locale)
            if market is None:
                continue
            mean = SESSIONS_PER_DAY.get(locale, 100) * WEEKDAYS[day.weekday()] * scale
            for _ in range(max(0, round(rng.gauss(mean, mean * 0.1)))):
                hour = rng.choices(range(24), HOURS)[0]
                local = dt.datetime.combine(day, dt.time(hour), market.zone) + dt.timedelta(
                    seconds=rng.randrange(3600)
                )
                if local <= now:
                    yield from _session(
                        rng, locale, pool, local.astimezone(dt.UTC), market, helpfulness
                    )


def _session(
    rng: random.Random,
    locale: str,
    pool: list[Query],
    moment: dt.datetime,
    market: Market,
    helpfulness: dict[str, float],
) -> Iterator[dict[str, Any]]:
    # A tenth search in the help centre's pages, which have no session.
    session = f"{rng.getrandbits(64):016x}" if rng.random() < 0.9 else None
    searches = rng.choices([1, 2, 3], [0.72, 0.2, 0.08])[0]
    weights = [q.weight for q in pool]
    for _ in range(searches):
        query = rng.choices(pool, weights)[0]
        base = {"locale": locale, "context": query.context, "session": session}
        yield _event(
            moment,
            "search",
            base,
            query=query.text,
            answers=" ".join(query.answers) or None,
            no_answer=not query.answers,
        )
        moment += dt.timedelta(seconds=rng.randrange(5, 90))
        if not query.answers:
            yield _event(moment, "contact_shown", base)
            if rng.random() < 0.35:
                yield _click(moment + dt.timedelta(seconds=rng.randrange(3, 30)), base, market)
                return
            continue
        if rng.random() < 0.62:
            article = query.answers[0] if rng.random() < 0.85 else rng.choice(query.answers)
            yield _event(moment, "open", base, article=article)
            share = helpfulness.setdefault(f"{locale}/{article}", rng.uniform(0.45, 0.97))
            if rng.random() < 0.3:
                helped = rng.random() < share
                yield _event(
                    moment + dt.timedelta(seconds=rng.randrange(10, 120)),
                    "feedback",
                    base,
                    article=article,
                    helpful=helped,
                )
                if not helped and rng.random() < 0.3:
                    yield _click(moment + dt.timedelta(seconds=150), base, market)
                    return
            moment += dt.timedelta(seconds=rng.randrange(20, 200))


def _click(moment: dt.datetime, base: dict[str, Any], market: Market) -> dict[str, Any]:
    return _event(moment, "contact_click", base, open_now=market.person_reachable(moment))


def _event(moment: dt.datetime, kind: str, base: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"at": moment, "hour": epoch_hour(moment), "type": kind, **base, **fields}


def demo_tickets(
    markets: Markets, days: int = 30, end: dt.date | None = None, per_day: int = 55, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """A month of tickets in the JSON Lines export format, with personal data as exports have
    it (the import redacts it), made from the sample export's wordings. They arrive over the
    market's day as searches do; replies and solutions not yet due are left out."""
    from ..mining.generate import generate, read_seeds

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    end = end or now.date()
    first = end - dt.timedelta(days=days - 1)
    made = generate(read_seeds([SAMPLE_TICKETS]), days * per_day, seed=seed, start=now, days=1)
    for number, ticket in enumerate(made, start=1):
        market = markets.get(ticket["locale"])
        zone = market.zone if market else dt.UTC
        created = dt.datetime.fromisoformat(ticket["created_at"])
        day = first + dt.timedelta(days=rng.randrange(days))
        moment = dt.datetime.combine(day, dt.time(rng.choices(range(24), HOURS)[0]), zone)
        moment = (moment + dt.timedelta(seconds=rng.randrange(3600))).astimezone(dt.UTC)
        if moment > now:
            continue
        ticket.update(id=f"demo-{number:06d}", created_at=moment.isoformat())
        ticket.pop("topic", None)
        for name in ("first_reply_at", "solved_at"):
            if ticket.get(name):
                later = moment + (dt.datetime.fromisoformat(ticket[name]) - created)
                ticket[name] = later.isoformat() if later <= now else None
        if ticket.get("solved_at") is None:
            ticket["status"] = "open"
        yield ticket
