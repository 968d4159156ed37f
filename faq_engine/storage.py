"""The database: tables (SQLAlchemy Core) and the writes the public API makes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("locale", sa.String(16), nullable=False),
    sa.Column("article", sa.String(200), nullable=False),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("query", sa.String(500)),  # redacted before it gets here
    sa.Column("context", sa.String(64)),
    sa.Index("ix_feedback_article", "locale", "article"),
)


class Storage:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(url, future=True, pool_pre_ping=True)
        metadata.create_all(self.engine)

    def add_feedback(
        self,
        locale: str,
        article: str,
        helpful: bool,
        query: str | None,
        context: str | None,
    ) -> int:
        row = {
            "created_at": dt.datetime.now(dt.UTC),
            "locale": locale,
            "article": article,
            "helpful": helpful,
            "query": query,
            "context": context,
        }
        with self.engine.begin() as connection:
            result = connection.execute(feedback.insert().values(**row))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def feedback_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(feedback).order_by(feedback.c.id))
            return [dict(row._mapping) for row in rows]

    def dispose(self) -> None:
        self.engine.dispose()
