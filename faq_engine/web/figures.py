"""The KPI figures of the dashboard and of ``GET /api/v1/stats``: one function makes them,
so the page and the JSON always agree. Worked out again only when events, tickets or the
content changed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..analytics.kpis import (
    Filters,
    cluster_volume,
    content_gaps,
    event_kpis,
    ticket_kpis,
    unanswered_queries,
)
from ..errors import BadRequest
from ..mining.clusters import Cluster, cluster_tickets
from ..models import Ticket
from ..storage import events
from . import params
from .services import get_services

DEFAULT_DAYS = 30
MAX_DAYS = 400
_lock = threading.Lock()
_KEPT = 16  # sets of figures kept per app


def ticket_clusters(locale: str) -> list[Cluster]:
    """The locale's recurring questions from tickets, again only when tickets or content
    changed."""
    services = get_services()
    engine = services.engine
    key = ("clusters", locale, services.storage.count_tickets(), id(engine.content))
    with _lock:
        if key not in services.cache:
            tickets = list(services.storage.iter_tickets(locale))
            services.cache[key] = cluster_tickets(
                tickets, engine.sources(locale), engine.vocabulary
            )
        return list(services.cache[key])


# Days the figures can be asked for (the reports look a week before and after the range).
FIRST_DAY, LAST_DAY = dt.date(1970, 1, 1), dt.date(9999, 11, 30)


def filters_from(args: Mapping[str, str], today: dt.date | None = None) -> Filters:
    """``from``, ``to`` (ISO dates, default the last 30 days), ``locale`` and ``context``
    (empty: all); a bad value raises BadRequest naming its parameter."""
    services = get_services()
    today = today or dt.datetime.now(dt.UTC).date()
    end = _date(args.get("to"), "to") or today
    start = _date(args.get("from"), "from") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise BadRequest("out_of_range", "'from' must not be after 'to'.", "from")
    if (end - start).days >= MAX_DAYS:
        raise BadRequest("out_of_range", f"Ask for {MAX_DAYS} days at most.", "from")
    locale = (args.get("locale") or "").strip()
    if locale and locale not in services.engine.locales:
        raise BadRequest(
            "unknown_locale",
            f"Locale {locale!r} is not served; served: {', '.join(services.engine.locales)}.",
            "locale",
        )
    context = params.context(args.get("context"))
    return Filters(start, end, (locale,) if locale else (), context)


def _date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(
            "invalid_date", f"{field!r} must be a date as YYYY-MM-DD.", field
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadRequest(
            "out_of_range", f"{field!r} must be between {FIRST_DAY} and {LAST_DAY}.", field
        )
    return day


def zones() -> dict[str, ZoneInfo]:
    markets = get_services().markets
    return {locale: market.zone for locale, market in markets.by_locale.items()}


def figures(filters: Filters) -> dict[str, Any]:
    """Every KPI for ``filters``: the events', the content gaps, the tickets'."""
    services = get_services()
    storage = services.storage
    with storage.engine.connect() as connection:
        newest = connection.execute(sa.select(sa.func.max(events.c.id))).scalar()
    key = ("figures", filters, newest, storage.count_tickets(), id(services.engine.content))
    with _lock:
        if key in services.cache:
            return dict(services.cache[key])
    found = _figures(filters)
    with _lock:
        old = [k for k in services.cache if k[0] == "figures"]
        for stale in old[: max(0, len(old) - _KEPT + 1)]:
            del services.cache[stale]
        services.cache[key] = found
    return dict(found)


def _figures(filters: Filters) -> dict[str, Any]:
    services = get_services()
    engine = services.engine
    by_zone = zones()
    with services.storage.engine.connect() as connection:
        kpis = event_kpis(connection, filters, by_zone)
        unanswered = unanswered_queries(connection, filters, by_zone)
    gaps = content_gaps(
        {loc: q for loc, q in unanswered.items() if loc in engine.locales},
        lambda locale, tickets: cluster_tickets(tickets, engine.sources(locale), engine.vocabulary),
    )
    # Tickets from a week before the range: a repeat contact looks 7 days back.
    since = dt.datetime.combine(filters.start - dt.timedelta(days=8), dt.time(), dt.UTC)
    until = dt.datetime.combine(filters.end + dt.timedelta(days=2), dt.time(), dt.UTC)
    tickets = [
        t
        for t in services.storage.iter_tickets(since=since, until=until)
        if not filters.locales or t.locale in filters.locales
    ]
    promise = {
        locale: float(market.email_response_hours or 24)
        for locale, market in services.markets.by_locale.items()
    }
    locales = [x for x in (filters.locales or tuple(engine.locales)) if x in engine.locales]
    by_id: dict[tuple[str, str], Ticket] = {(t.locale, t.id): t for t in tickets}
    clusters = [c for locale in locales for c in ticket_clusters(locale)]
    return {
        "filters": {
            "from": filters.start.isoformat(),
            "to": filters.end.isoformat(),
            "locale": filters.locales[0] if filters.locales else None,
            "context": filters.context,
        },
        "events": kpis,
        "gaps": gaps,
        "tickets": {
            **ticket_kpis(tickets, filters, by_zone, promise),
            "clusters": cluster_volume(clusters, by_id, filters, by_zone),
        },
    }
