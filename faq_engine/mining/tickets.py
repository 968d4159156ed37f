"""Reading ticket exports row by row: JSON Lines, a generic CSV, Zendesk JSON, Freshdesk CSV.

Every row becomes a redacted :class:`Ticket` or a :class:`Rejected` naming its row and why;
nothing is kept in memory beyond the row being read, so an export of any size streams.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import hmac
import json
import multiprocessing
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

from ..models import Ticket
from .language import detect
from .redact import redact

FORMATS = ("jsonl", "csv", "zendesk", "freshdesk")
PAGE = re.compile(r'\s*\{\s*"tickets"\s*:')
LOCALES = ("sv", "da", "pl", "nl", "en")
MAX_TEXT = 20_000  # characters of one ticket's body kept; the rest is cut

# The generic CSV's columns, by our field name: the contract's names unless mapped.
CSV_FIELDS = ("id", "subject", "body", "locale", "created_at", "channel", "requester", "status")
# Freshdesk's export headers (they vary a little between accounts and export settings).
FRESHDESK = {
    "id": ("Ticket ID", "Ticket Id", "ID"),
    "subject": ("Subject",),
    "body": ("Description", "Description text"),
    "created_at": ("Created time", "Created Time", "Created at"),
    "channel": ("Source",),
    "requester": ("Email", "Requester email", "Contact email"),
    "status": ("Status",),
    "first_reply_at": ("Initial response time", "First responded time", "First response time"),
    "solved_at": ("Resolved time", "Resolved Time", "Closed time"),
    "locale": ("Language",),
}


@dataclass(frozen=True)
class Rejected:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


class RowError(ValueError):
    """What is wrong with one row; the row is reported and the import goes on."""


Row = tuple[int, Mapping[str, Any]]


def read_rows(path: Path, fmt: str, mapping: Mapping[str, str] | None = None) -> Iterator[Row]:
    """(row number, fields) for every row of the export, in our field names.

    A row that cannot even be parsed comes as fields ``{"_error": reason}``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if fmt == "jsonl":
            yield from _json_lines(handle, lambda record: record)
        elif fmt == "zendesk":
            yield from _zendesk(handle)
        elif fmt == "csv":
            columns = {name: (mapping or {}).get(name, name) for name in CSV_FIELDS}
            yield from _csv(handle, {k: (v,) for k, v in columns.items()})
        else:
            yield from _csv(handle, FRESHDESK)


def _json_lines(
    handle: TextIO, convert: Callable[[dict[str, Any]], Mapping[str, Any]]
) -> Iterator[Row]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {"_error": f"not valid JSON ({exc.msg} at column {exc.colno})"}
            continue
        if not isinstance(record, dict):
            yield number, {"_error": "not a JSON object"}
            continue
        yield number, convert(record)


def _csv(handle: TextIO, columns: Mapping[str, tuple[str, ...]]) -> Iterator[Row]:
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    chosen = {
        name: next((c for c in names if c in header), None) for name, names in columns.items()
    }

    if not any(chosen.get(k) for k in ("subject", "body")):
        raise ValueError(
            "the CSV has neither a subject nor a body column "
            f"(its columns: {', '.join(header) or 'none'})"
        )
    for record in reader:
        number = reader.line_num - 1  # the header is line 1; rows are numbered from 1
        if None in record:
            yield number, {"_error": "more fields than the header has columns"}
            continue
        yield number, {name: record.get(column) for name, column in chosen.items() if column}


def _zendesk(handle: TextIO) -> Iterator[Row]:
    """Zendesk's JSON export: one ticket object a line; an API page ``{"tickets": [...]}``
    is read whole (pages are small)."""
    head = handle.read(4096)
    handle.seek(0)
    if PAGE.match(head):
        try:
            page = json.load(handle)
        except ValueError as exc:
            raise ValueError(f"not valid JSON ({exc})") from None
        for number, ticket in enumerate(page.get("tickets") or [], start=1):
            if isinstance(ticket, dict):
                yield number, _zendesk_ticket(ticket)
            else:
                yield number, {"_error": "not a JSON object"}
        return
    yield from _json_lines(handle, _zendesk_ticket)


def _zendesk_ticket(ticket: dict[str, Any]) -> dict[str, Any]:
    comments = [c for c in ticket.get("comments") or [] if isinstance(c, dict)]
    requester = ticket.get("requester")
    requester_id = ticket.get("requester_id")
    email = requester.get("email") if isinstance(requester, dict) else None
    body = ticket.get("description")
    if not body and comments:
        body = comments[0].get("plain_body") or comments[0].get("body")
    replies = sorted(
        str(c.get("created_at"))
        for c in comments
        if c.get("public", True) and c.get("author_id") not in (None, requester_id)
    )
    metrics = ticket.get("metric_set")
    metrics = metrics if isinstance(metrics, dict) else {}
    via = ticket.get("via")
    via = via if isinstance(via, dict) else {}
    return {
        "id": ticket.get("id"),
        "subject": ticket.get("subject") or ticket.get("raw_subject"),
        "body": body,
        "created_at": ticket.get("created_at"),
        "channel": via.get("channel"),
        "requester": email or (str(requester_id) if requester_id is not None else None),
        "status": ticket.get("status"),
        "first_reply_at": replies[0] if replies else None,
        "solved_at": metrics.get("solved_at"),
        "locale": ticket.get("locale"),
    }


def to_ticket(number: int, fields: Mapping[str, Any], source: str, key: bytes) -> Ticket:
    """A redacted ticket from one row's fields; RowError says what is wrong with the row."""
    if "_error" in fields:
        raise RowError(str(fields["_error"]))
    subject = _text(fields.get("subject"), "subject")
    body = _text(fields.get("body"), "body")
    if not subject.strip() and not body.strip():
        raise RowError("no subject and no body")
    raw_id = fields.get("id")
    ticket_id = str(raw_id).strip() if raw_id not in (None, "") else str(number)
    if len(ticket_id) > 100:
        raise RowError("id is longer than 100 characters")
    locale = str(fields.get("locale") or "").strip().lower().replace("_", "-").split("-")[0]
    if locale and locale not in LOCALES:
        raise RowError(f"locale {locale!r} is not one of {', '.join(LOCALES)}")
    locale = locale or detect(f"{subject}\n{body}")
    requester = fields.get("requester")
    return Ticket(
        id=ticket_id,
        locale=locale,
        subject=redact(subject, locale)[:500],
        body=redact(body[:MAX_TEXT], locale),
        created_at=_time(fields.get("created_at"), "created_at"),
        channel=_short(fields.get("channel")),
        requester=_hash(str(requester).strip().casefold(), key) if requester else None,
        status=_short(fields.get("status")),
        first_reply_at=_time(fields.get("first_reply_at"), "first_reply_at"),
        solved_at=_time(fields.get("solved_at"), "solved_at"),
        source=source,
    )


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{name} must be text, not {type(value).__name__}")
    return value


def _short(value: Any) -> str | None:
    return str(value).strip()[:64] or None if value not in (None, "") else None


def _time(value: Any, name: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    for parse in (
        lambda t: dt.datetime.fromisoformat(t.replace("Z", "+00:00")),
        lambda t: dt.datetime.strptime(t, "%Y-%m-%d %H:%M:%S"),
        lambda t: dt.datetime.strptime(t, "%d/%m/%Y %H:%M"),
        lambda t: dt.datetime.strptime(t, "%a, %d %b, %Y at %I:%M %p"),
    ):
        try:
            moment = parse(text)
        except ValueError:
            continue
        return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    raise RowError(f"{name} {text!r} is not a date and time (use ISO 8601)")


def _hash(value: str, key: bytes) -> str:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


@dataclass
class Summary:
    stored: int = 0
    rejected: list[Rejected] | None = None
    by_locale: dict[str, int] | None = None

    def __post_init__(self) -> None:
        self.rejected = self.rejected or []
        self.by_locale = self.by_locale or {}


class TicketStore(Protocol):
    def secret(self, name: str) -> bytes: ...

    def save_tickets(self, batch: list[Ticket]) -> None: ...


def import_file(
    path: Path,
    fmt: str,
    store: TicketStore,
    mapping: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 1000,
    workers: int = 1,
) -> Summary:
    """Store every row of an export (redacted), or report it; written in batches.

    With ``workers`` > 1, rows are redacted in that many processes (in order, a chunk at a
    time, so memory stays flat); reading and writing stay in this one.
    """
    key = store.secret("requester-hash-key")
    summary = Summary()
    assert summary.rejected is not None and summary.by_locale is not None
    batch: list[Ticket] = []
    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
    try:
        if pool is None:
            results = read_tickets(path, fmt, key, mapping)
        else:
            convert = functools.partial(_convert, source=fmt, key=key)
            results = pool.imap(convert, read_rows(path, fmt, mapping), chunksize=200)
        for count, result in enumerate(results, start=1):
            if isinstance(result, Rejected):
                summary.rejected.append(result)
            else:
                batch.append(result)
                summary.by_locale[result.locale] = summary.by_locale.get(result.locale, 0) + 1
            if len(batch) >= batch_size:
                store.save_tickets(batch)
                summary.stored += len(batch)
                batch = []
            if progress is not None and count % 500 == 0:
                progress(count)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    store.save_tickets(batch)
    summary.stored += len(batch)
    return summary


def read_tickets(
    path: Path, fmt: str, key: bytes, mapping: Mapping[str, str] | None = None
) -> Iterator[Ticket | Rejected]:
    """Every row of an export as a redacted ticket, or as the reason it was rejected."""
    return map(functools.partial(_convert, source=fmt, key=key), read_rows(path, fmt, mapping))


def _convert(row: Row, source: str, key: bytes) -> Ticket | Rejected:
    number, fields = row
    try:
        return to_ticket(number, fields, source, key)
    except RowError as exc:
        return Rejected(number, str(exc))
