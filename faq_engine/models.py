"""Plain data passed between the layers. Every text value travels with its locale."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    id: str
    locale: str
    title: str
    body: str  # Markdown, as written
    html: str  # rendered and sanitised
    text: str  # plain text of the body, for snippets and search
    contexts: tuple[str, ...] = ("general",)
    categories: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    updated: dt.date | None = None
    source: str | None = None
    path: str = ""

    @property
    def url(self) -> str:
        return f"/{self.locale}/help/{self.id}"


@dataclass(frozen=True)
class AnswerRequest:
    locale: str
    query: str = ""
    context: str | None = None
    category: str | None = None
    limit: int = 5
    explain: bool = False


@dataclass(frozen=True)
class Answer:
    article: Article
    score: float
    fallback: bool = False
    explain: dict[str, float] | None = None


@dataclass(frozen=True)
class AnswerResult:
    request: AnswerRequest
    answers: tuple[Answer, ...]
    did_you_mean: str | None = None
    decision: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Ticket:
    """One customer ticket as stored: text already redacted, the requester only as a hash."""

    id: str  # the export's own id, else the 1-based row number
    locale: str
    subject: str
    body: str
    created_at: dt.datetime | None = None
    channel: str | None = None
    requester: str | None = None  # keyed hash of the requester's address, for repeat contacts
    status: str | None = None
    first_reply_at: dt.datetime | None = None
    solved_at: dt.datetime | None = None
    source: str = "jsonl"  # the export format it came from
