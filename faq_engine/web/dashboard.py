"""The staff dashboard: the self-service and ticket KPIs with server-drawn charts, filters,
a CSV file of every table, promoting a content gap into a draft, and each member's language.

Dates and numbers are written by Babel in the member's language; the CSV files keep plain
numbers and ISO dates, for spreadsheets in any language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from babel import Locale
from babel.dates import format_date, get_day_names
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit
from flask import Response, abort, g, redirect, request, url_for

from ..analytics.kpis import Filters
from ..errors import BadRequest
from ..i18n import language_name
from . import charts
from .figures import figures, filters_from
from .services import get_services
from .site import gettext, ngettext
from .staff import bp, login_required, page, staff_locale, start_draft

PERIOD = re.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")


class Formats:
    """Numbers, shares, days and hours as the staff member's language writes them."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        pattern = Locale.parse(locale).percent_formats[None].pattern
        self._percent = pattern.replace("0", "0.0", 1)
        self.days = [get_day_names("abbreviated", locale=locale)[n] for n in range(7)]

    def number(self, value: float | None) -> str:
        return "–" if value is None else format_decimal(value, locale=self.locale)

    def share(self, value: float | None) -> str:
        return "–" if value is None else format_percent(value, self._percent, locale=self.locale)

    def day(self, value: str | dt.date, size: str = "medium") -> str:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, "d MMM" if size == "short" else size, locale=self.locale)

    def hours(self, value: float | None) -> str:
        if value is None:
            return "–"
        return format_unit(round(value, 1), "duration-hour", "short", locale=self.locale)


def _filters() -> Filters:
    try:
        return filters_from(request.args)
    except BadRequest as exc:
        abort(400, exc.message)


@bp.get("/dashboard")
@login_required()
def dashboard() -> Any:
    filters = _filters()
    found = figures(filters)
    formats = Formats(staff_locale())
    services = get_services()
    kpis, tickets = found["events"], found["tickets"]
    return page(
        "dashboard.html",
        filters=filters,
        found=found,
        kpis=kpis,
        tickets=tickets,
        f=formats,
        charts=_charts(found, formats),
        titles=_titles(),
        locales=services.engine.locales,
        contexts=list(services.vocabulary.contexts),
        places=_top_queries(kpis["top_queries"], 5),
        period=f"{filters.start.isoformat()}/{filters.end.isoformat()}",
        query=request.args.to_dict(),
    )


def _top_queries(rows: list[dict[str, Any]], per_place: int) -> list[dict[str, Any]]:
    """For the page: the places (locale, context) with the most searches, each with its
    first few queries; the CSV file has ten of every place."""
    places: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["locale"], row["context"])
        place = places.setdefault(
            key, {"locale": key[0], "context": key[1], "searches": 0, "queries": []}
        )
        place["searches"] += row["searches"]
        if len(place["queries"]) < per_place:
            place["queries"].append(row)
    return sorted(places.values(), key=lambda p: (-p["searches"], p["locale"], p["context"]))


def _titles() -> dict[tuple[str, str], str]:
    content = get_services().engine.content
    return {
        (loc, a.id): a.title
        for loc, articles in content.articles.items()
        for a in articles.values()
    }


def _charts(found: dict[str, Any], f: Formats) -> dict[str, Any]:
    kpis, tickets = found["events"], found["tickets"]

    def day_tip(name: str, total: int, part: int) -> str:
        return ngettext(
            "%(day)s: %(num)s search, %(none)s without an answer",
            "%(day)s: %(num)s searches, %(none)s without an answer",
            total,
            day=name,
            num=f.number(total),
            none=f.number(part),
        )

    def search_tip(day: str, hour: int, value: int) -> str:
        return ngettext(
            "%(day)s %(hour)s:00–%(hour)s:59: %(num)s search",
            "%(day)s %(hour)s:00–%(hour)s:59: %(num)s searches",
            value,
            day=day,
            hour=f"{hour:02d}",
            num=f.number(value),
        )

    def ticket_tip(day: str, hour: int, value: int) -> str:
        return ngettext(
            "%(day)s %(hour)s:00–%(hour)s:59: %(num)s ticket",
            "%(day)s %(hour)s:00–%(hour)s:59: %(num)s tickets",
            value,
            day=day,
            hour=f"{hour:02d}",
            num=f.number(value),
        )

    return {
        "daily": charts.bars(
            gettext("Searches per day; the darker part found no answer"),
            [(f.day(d["day"], "short"), d["searches"], d["no_answer"]) for d in kpis["daily"]],
            f.number,
            day_tip,
        ),
        "hours": charts.heat_map(
            gettext("Searches by weekday and hour, in the market's time"),
            kpis["busiest_hours"],
            f.days,
            search_tip,
        ),
        "ticket_hours": charts.heat_map(
            gettext("New tickets by weekday and hour, in the market's time"),
            tickets["busiest_hours"],
            f.days,
            ticket_tip,
        ),
        "clusters": {
            c["cluster"]: charts.spark(
                ngettext(
                    "%(num)s ticket in the period",
                    "%(num)s tickets in the period",
                    c["tickets"],
                    num=f.number(c["tickets"]),
                ),
                [w["tickets"] for w in c["weeks"]],
            )
            for c in tickets["clusters"]
        },
    }


# -- CSV -----------------------------------------------------------------------------------


def csv_tables(found: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the dashboard as (columns, rows) with plain values."""
    kpis, tickets = found["events"], found["tickets"]

    def hours(rows: list[list[int]]) -> list[list[Any]]:
        return [[day, hour, rows[day][hour]] for day in range(7) for hour in range(24)]

    weeks = [w["week"] for w in tickets["clusters"][0]["weeks"]] if tickets["clusters"] else []
    return {
        "daily": (
            ["day", "searches", "no_answer", "contact_clicks"],
            [[d["day"], d["searches"], d["no_answer"], d["contact_clicks"]] for d in kpis["daily"]],
        ),
        "hours": (["weekday", "hour", "searches"], hours(kpis["busiest_hours"])),
        "gaps": (
            ["locale", "label", "searches", "queries", "nearest_article"],
            [
                [g["locale"], g["label"], g["searches"], " | ".join(g["queries"]), g["article"]]
                for g in found["gaps"]
            ],
        ),
        "articles": (
            ["locale", "article", "opened", "helpful", "not_helpful", "helpful_share"],
            [
                [
                    a["locale"],
                    a["article"],
                    a["opened"],
                    a["helpful"],
                    a["not_helpful"],
                    a["helpful_share"],
                ]
                for a in kpis["articles"]
            ],
        ),
        "queries": (
            ["locale", "context", "query", "searches", "no_answer"],
            [
                [q["locale"], q["context"], q["query"], q["searches"], q["no_answer"]]
                for q in kpis["top_queries"]
            ],
        ),
        "ticket-hours": (["weekday", "hour", "tickets"], hours(tickets["busiest_hours"])),
        "clusters": (
            ["cluster", "locale", "label", "article", "tickets", *weeks],
            [
                [c["cluster"], c["locale"], c["label"], c["article"], c["tickets"]]
                + [w["tickets"] for w in c["weeks"]]
                for c in tickets["clusters"]
            ],
        ),
    }


def _cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (a shopper's query can start with '=')
    is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


@bp.get("/dashboard/<table>.csv")
@login_required()
def dashboard_csv(table: str) -> Any:
    filters = _filters()
    found = csv_tables(figures(filters)).get(table)
    if found is None:
        abort(404)
    columns, rows = found
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    name = f"{table}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # a byte order mark: spreadsheets then read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- gaps and settings ---------------------------------------------------------------------


@bp.post("/gaps/promote")
@login_required()
def promote_gap() -> Any:
    """A group of searches that found nothing becomes a draft article."""
    locale = request.form.get("locale", "")
    label = (request.form.get("label") or "").strip()
    period = request.form.get("period", "")
    if locale not in get_services().engine.locales or not label or len(label) > 500:
        abort(400, "a served locale and the gap's label")
    if not PERIOD.fullmatch(period):
        abort(400, "the period as YYYY-MM-DD/YYYY-MM-DD")
    questions = [q.strip()[:500] for q in request.form.getlist("question") if q.strip()][:8]
    return start_draft(locale, label, questions, f"searches {period}")


def staff_languages() -> list[str]:
    """English (the workspace's own language) and every language it is translated into."""
    return ["en", *sorted(x for x in get_services().catalogs if x != "en")]


@bp.route("/settings", methods=["GET", "POST"])
@login_required()
def settings() -> Any:
    languages = staff_languages()
    if request.method == "POST":
        chosen = request.form.get("locale", "")
        if chosen not in languages:
            abort(400, "a language of the workspace")
        get_services().storage.set_user_locale(g.staff["email"], chosen)
        return redirect(url_for("staff.settings", saved=1))
    return page(
        "settings.html",
        languages=[(code, language_name(code)) for code in languages],
        chosen=staff_locale(),
        saved=request.args.get("saved") == "1",
    )
