"""The self-service KPIs, per locale, context and date range, read with SQLAlchemy Core.

Counting happens in the database (grouped by locale, whole hour and event type, by session,
by query, by article), so a month of a million events comes back as a few thousand rows;
what depends on the market's time zone (days, the weekday × hour map) is worked out from the
hourly groups here. Definitions:

- *no-answer rate*: searches that got ``answers: []`` over all searches;
- *self-service rate*: widget sessions with a search that found answers and no click on
  "contact customer service", over sessions with a search;
- *repeated searches*: sessions with two searches or more (typing steps are already merged
  into one search by the recorder) over sessions with a search;
- *contact outside opening hours*: contact clicks when neither chat nor phone was open.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..models import Ticket
from ..storage import events
from .recorder import epoch_hour

UTC = ZoneInfo("UTC")
SOLVED = {"solved", "closed", "resolved", "5", "4"}  # Freshdesk writes 4 and 5 for these
REPEAT_WINDOW = dt.timedelta(days=7)
TOP_QUERIES = 10


@dataclass(frozen=True)
class Filters:
    """What the figures are for: days (in each market's time zone), locales, a context."""

    start: dt.date
    end: dt.date  # inclusive
    locales: tuple[str, ...] = ()
    context: str | None = None  # a parent such as "checkout" takes its children in

    @classmethod
    def last_days(cls, days: int, today: dt.date | None = None, **rest: Any) -> Filters:
        end = today or dt.datetime.now(dt.UTC).date()
        return cls(end - dt.timedelta(days=days - 1), end, **rest)

    def hours(self, zone: ZoneInfo = UTC) -> tuple[int, int]:
        """The range as whole hours since 1970: [first, last)."""
        start = dt.datetime.combine(self.start, dt.time(), zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone)
        return epoch_hour(start), epoch_hour(end)

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def covers(self, moment: dt.datetime, zone: ZoneInfo) -> bool:
        return self.start <= moment.astimezone(zone).date() <= self.end


def _where(filters: Filters, zones: Mapping[str, ZoneInfo]) -> list[Any]:
    """Conditions for the events in range: each locale's days are its market's days."""
    by_bounds: dict[tuple[int, int], list[str]] = defaultdict(list)
    for locale, zone in zones.items():
        if not filters.locales or locale in filters.locales:
            by_bounds[filters.hours(zone)].append(locale)
    ranges = [
        sa.and_(events.c.locale.in_(locales), events.c.hour >= first, events.c.hour < last)
        for (first, last), locales in by_bounds.items()
    ]
    first, last = filters.hours()
    others = [events.c.hour >= first, events.c.hour < last]  # a locale with no market: UTC
    if filters.locales:
        others.append(events.c.locale.in_([x for x in filters.locales if x not in zones]))
    else:
        others.append(events.c.locale.not_in(list(zones)))
    conditions: list[Any] = [sa.or_(*ranges, sa.and_(*others))]
    if filters.context:
        conditions.append(
            sa.or_(
                events.c.context == filters.context,
                events.c.context.startswith(filters.context + ".", autoescape=True),
            )
        )
    return conditions


def _flag(condition: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def event_kpis(
    connection: sa.Connection, filters: Filters, zones: Mapping[str, ZoneInfo]
) -> dict[str, Any]:
    """Every event KPI for ``filters``; ``zones`` gives each locale's market time zone."""
    where = _where(filters, zones)
    hourly = connection.execute(
        sa.select(
            events.c.locale,
            events.c.hour,
            events.c.type,
            sa.func.count(),
            _flag(events.c.no_answer == sa.true()),
            _flag(events.c.open_now == sa.false()),
        )
        .where(*where)
        .group_by(events.c.locale, events.c.hour, events.c.type)
    ).all()
    totals: Counter[str] = Counter()
    daily: dict[dt.date, Counter[str]] = {day: Counter() for day in filters.days()}
    heat = [[0] * 24 for _ in range(7)]
    closed_clicks = 0
    for locale, hour, kind, count, no_answer, closed in hourly:
        totals[kind] += count
        moment = dt.datetime.fromtimestamp(hour * 3600, zones.get(locale, UTC))
        day = daily.setdefault(moment.date(), Counter())
        day[kind] += count
        if kind == "search":
            totals["no_answer"] += no_answer
            day["no_answer"] += no_answer
            heat[moment.weekday()][moment.hour] += count
        if kind == "contact_click":
            closed_clicks += closed
    searches = totals["search"]
    return {
        "searches": searches,
        "no_answer": totals["no_answer"],
        "no_answer_rate": _share(totals["no_answer"], searches),
        "answers_opened": totals["open"],
        "feedback": totals["feedback"],
        "contact_shown": totals["contact_shown"],
        "contact_clicks": totals["contact_click"],
        "contact_outside_hours": closed_clicks,
        "contact_outside_hours_share": _share(closed_clicks, totals["contact_click"]),
        **_sessions(connection, where),
        "daily": [
            {
                "day": day.isoformat(),
                "searches": daily[day]["search"],
                "no_answer": daily[day]["no_answer"],
                "contact_clicks": daily[day]["contact_click"],
            }
            for day in sorted(daily)
        ],
        "busiest_hours": heat,
        "articles": _articles(connection, where),
        "top_queries": _top_queries(connection, where),
    }


def _sessions(connection: sa.Connection, where: list[Any]) -> dict[str, Any]:
    """Sessions that used the help (searched, opened an answer or clicked contact)."""
    search = events.c.type == "search"
    per_session = (
        sa.select(
            events.c.session,
            _flag(search).label("searches"),
            _flag(
                sa.or_(sa.and_(search, events.c.no_answer == sa.false()), events.c.type == "open")
            ).label("found"),
            _flag(events.c.type == "contact_click").label("clicks"),
        )
        .where(*where, events.c.session.is_not(None))
        .group_by(events.c.session)
        .subquery()
    )
    sessions, served, repeated = connection.execute(
        sa.select(
            sa.func.count(),
            _flag(sa.and_(per_session.c.found > 0, per_session.c.clicks == 0)),
            _flag(per_session.c.searches > 1),
        ).where(
            sa.or_(per_session.c.searches > 0, per_session.c.found > 0, per_session.c.clicks > 0)
        )
    ).one()
    return {
        "sessions": sessions,
        "self_service": served,
        "self_service_rate": _share(served, sessions),
        "repeated_sessions": repeated,
        "repeated_rate": _share(repeated, sessions),
    }


def _articles(connection: sa.Connection, where: list[Any]) -> list[dict[str, Any]]:
    feedback = events.c.type == "feedback"
    rows = connection.execute(
        sa.select(
            events.c.locale,
            events.c.article,
            _flag(events.c.type == "open"),
            _flag(sa.and_(feedback, events.c.helpful == sa.true())),
            _flag(sa.and_(feedback, events.c.helpful == sa.false())),
        )
        .where(*where, events.c.article.is_not(None), events.c.type.in_(("open", "feedback")))
        .group_by(events.c.locale, events.c.article)
    ).all()
    found = [
        {
            "locale": locale,
            "article": article,
            "opened": opened,
            "helpful": yes,
            "not_helpful": no,
            "helpful_share": _share(yes, yes + no),
        }
        for locale, article, opened, yes, no in rows
    ]
    # The least helpful first: those are the articles to rewrite.
    return sorted(
        found,
        key=lambda a: (
            a["helpful_share"] is None,
            a["helpful_share"] or 0,
            -a["opened"],
            a["article"],
        ),
    )


def _top_queries(connection: sa.Connection, where: list[Any]) -> list[dict[str, Any]]:
    """The most asked queries of each (locale, context), ranked in the database."""
    context = sa.func.coalesce(events.c.context, "general").label("context")
    count = sa.func.count().label("searches")
    grouped = (
        sa.select(
            events.c.locale,
            context,
            events.c.query,
            count,
            _flag(events.c.no_answer == sa.true()).label("no_answer"),
            sa.func.row_number()
            .over(partition_by=(events.c.locale, context), order_by=(count.desc(), events.c.query))
            .label("rank"),
        )
        .where(*where, events.c.type == "search", events.c.query.is_not(None))
        .group_by(events.c.locale, context, events.c.query)
        .subquery()
    )
    rows = connection.execute(
        sa.select(
            grouped.c.locale,
            grouped.c.context,
            grouped.c.query,
            grouped.c.searches,
            grouped.c.no_answer,
        )
        .where(grouped.c.rank <= TOP_QUERIES)
        .order_by(grouped.c.locale, grouped.c.context, grouped.c.rank)
    ).all()
    return [dict(row._mapping) for row in rows]


def unanswered_queries(
    connection: sa.Connection, filters: Filters, zones: Mapping[str, ZoneInfo], limit: int = 2000
) -> dict[str, list[tuple[str, int]]]:
    """Per locale, the most asked queries that found nothing, with how often each was asked
    (the long tail of one-off queries past ``limit`` is left out)."""
    count = sa.func.count().label("n")
    rows = connection.execute(
        sa.select(events.c.locale, events.c.query, count)
        .where(
            *_where(filters, zones),
            events.c.type == "search",
            events.c.no_answer == sa.true(),
            events.c.query.is_not(None),
        )
        .group_by(events.c.locale, events.c.query)
        .order_by(events.c.locale, count.desc(), events.c.query)
    ).all()
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for locale, query, n in rows:
        if len(found[locale]) < limit:
            found[locale].append((query, n))
    return dict(found)


def content_gaps(
    unanswered: Mapping[str, list[tuple[str, int]]],
    cluster: Callable[[str, list[Ticket]], Iterable[Any]],
) -> list[dict[str, Any]]:
    """Unanswered queries grouped as the ticket clusterer groups tickets; ``cluster(locale,
    tickets)`` returns clusters with ``label``, ``tickets`` (ids) and ``article`` (one that
    nearly answers it, or None). Largest demand first."""
    gaps = []
    for locale, queries in unanswered.items():
        counts = {str(n): times for n, (_, times) in enumerate(queries)}
        texts = {str(n): query for n, (query, _) in enumerate(queries)}
        tickets = [Ticket(id=key, locale=locale, subject="", body=texts[key]) for key in texts]
        for group in cluster(locale, tickets):
            members = sorted(group.tickets, key=lambda key: (-counts[key], texts[key]))
            gaps.append(
                {
                    "locale": locale,
                    "label": group.label,
                    "searches": sum(counts[key] for key in members),
                    "queries": [texts[key] for key in members[:8]],
                    "article": group.article,
                }
            )
    return sorted(gaps, key=lambda g: (-g["searches"], g["locale"], g["label"]))


def ticket_kpis(
    tickets: Iterable[Ticket],
    filters: Filters,
    zones: Mapping[str, ZoneInfo],
    promise_hours: Mapping[str, float],
) -> dict[str, Any]:
    """First response against the promise, repeat contacts, resolution and busiest hours of
    the tickets created in the range (in each market's days). ``tickets`` may start earlier:
    a repeat contact looks 7 days back. Tickets without a creation time are left out."""
    dated = [
        t
        for t in tickets
        if t.created_at is not None and (not filters.locales or t.locale in filters.locales)
    ]
    chosen = [t for t in dated if _in_range(t, filters, zones)]
    heat = [[0] * 24 for _ in range(7)]
    waits: list[float] = []
    kept = 0
    for ticket in chosen:
        assert ticket.created_at is not None
        local = ticket.created_at.astimezone(zones.get(ticket.locale, UTC))
        heat[local.weekday()][local.hour] += 1
        if ticket.first_reply_at is not None:
            hours = max((ticket.first_reply_at - ticket.created_at).total_seconds() / 3600, 0.0)
            waits.append(hours)
            kept += hours <= promise_hours.get(ticket.locale, 24)
    solved = sum(
        1 for t in chosen if t.solved_at is not None or (t.status or "").casefold() in SOLVED
    )
    return {
        "tickets": len(chosen),
        "first_response": {
            "answered": len(waits),
            "unanswered": len(chosen) - len(waits),
            "median_hours": round(statistics.median(waits), 2) if waits else None,
            "within_promise": kept,
            "within_promise_share": _share(kept, len(waits)),
            "promise_hours": sorted({promise_hours.get(t.locale, 24) for t in chosen}),
        },
        **_repeats(chosen, dated),
        "resolved": solved,
        "resolution_rate": _share(solved, len(chosen)),
        "busiest_hours": heat,
    }


def _in_range(ticket: Ticket, filters: Filters, zones: Mapping[str, ZoneInfo]) -> bool:
    assert ticket.created_at is not None
    return filters.covers(ticket.created_at, zones.get(ticket.locale, UTC))


def _repeats(chosen: list[Ticket], dated: list[Ticket]) -> dict[str, Any]:
    """A repeat contact: a ticket whose (hashed) requester wrote within 7 days before it."""
    by_requester: dict[str, list[dt.datetime]] = defaultdict(list)
    for ticket in dated:
        if ticket.requester and ticket.created_at is not None:
            by_requester[ticket.requester].append(ticket.created_at)
    for moments in by_requester.values():
        moments.sort()
    known = repeats = 0
    for ticket in chosen:
        if not ticket.requester or ticket.created_at is None:
            continue
        known += 1
        moments = by_requester[ticket.requester]
        earlier = moments[: bisect.bisect_left(moments, ticket.created_at)]
        repeats += bool(earlier) and ticket.created_at - earlier[-1] <= REPEAT_WINDOW
    return {
        "with_requester": known,
        "repeat_contacts": repeats,
        "repeat_rate": _share(repeats, known),
    }


def cluster_volume(
    clusters: Iterable[Any],
    tickets: Mapping[tuple[str, str], Ticket],
    filters: Filters,
    zones: Mapping[str, ZoneInfo],
    top: int = 10,
) -> list[dict[str, Any]]:
    """Tickets a week (weeks start on Monday) of the ``top`` largest clusters in the range;
    ``clusters`` have id, locale, label, tickets (ids) and article; ``tickets`` are keyed by
    (locale, id)."""
    weeks = sorted({day - dt.timedelta(days=day.weekday()) for day in filters.days()})
    rows = []
    for group in clusters:
        per_week: Counter[dt.date] = Counter()
        for ticket_id in group.tickets:
            ticket = tickets.get((group.locale, ticket_id))
            if ticket is None or ticket.created_at is None or not _in_range(ticket, filters, zones):
                continue
            day = ticket.created_at.astimezone(zones.get(ticket.locale, UTC)).date()
            per_week[day - dt.timedelta(days=day.weekday())] += 1
        total = sum(per_week.values())
        if total:
            rows.append(
                {
                    "cluster": group.id,
                    "locale": group.locale,
                    "label": group.label,
                    "article": group.article,
                    "tickets": total,
                    "weeks": [{"week": w.isoformat(), "tickets": per_week[w]} for w in weeks],
                }
            )
    rows.sort(key=lambda r: (-r["tickets"], r["cluster"]))
    return rows[:top]
