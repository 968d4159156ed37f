"""The database: tables (SQLAlchemy Core) and the writes the public API makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from .models import Ticket

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

tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),  # the export format
    sa.Column("id", sa.String(100), primary_key=True),  # the export's own id
    sa.Column("locale", sa.String(16), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),  # redacted
    sa.Column("body", sa.Text, nullable=False),  # redacted
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("channel", sa.String(64)),
    sa.Column("requester", sa.String(64)),  # keyed hash, never the address
    sa.Column("status", sa.String(64)),
    sa.Column("first_reply_at", sa.DateTime(timezone=True)),
    sa.Column("solved_at", sa.DateTime(timezone=True)),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_tickets_locale_created", "locale", "created_at"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("email", sa.String(254), primary_key=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # editor | admin
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

drafts = sa.Table(
    "drafts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("locale", sa.String(16), nullable=False),
    sa.Column("article", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("cluster", sa.String(64)),
    sa.Column("author", sa.String(254), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # draft | published | discarded
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

settings_table = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


class Storage:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = sa.create_engine(url, future=True, pool_pre_ping=True)
        metadata.create_all(self.engine)

    def ping(self) -> str | None:
        """None when the database answers, else the kind of failure (for ``/readyz``)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError as exc:
            return type(getattr(exc, "orig", None) or exc).__name__
        return None

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

    def secret(self, name: str) -> bytes:
        """A random key kept in the database (made on first use): hashes stay comparable
        across imports and restarts without anyone configuring a key."""
        with self.engine.begin() as connection:
            found = connection.execute(
                sa.select(settings_table.c.value).where(settings_table.c.key == name)
            ).scalar()
            if found is None:
                found = secrets.token_hex(32)
                connection.execute(settings_table.insert().values(key=name, value=found))
        return bytes.fromhex(found)

    def save_tickets(self, batch: list[Ticket]) -> None:
        """Insert or replace (by source and id): importing the same export twice changes
        nothing."""
        if not batch:
            return
        now = dt.datetime.now(dt.UTC)
        rows = [{**dataclasses.asdict(t), "imported_at": now} for t in batch]
        dialect = self.engine.dialect.name
        insert: Any
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(tickets)
        columns = {c.name: statement.excluded[c.name] for c in tickets.columns if not c.primary_key}
        statement = statement.on_conflict_do_update(index_elements=["source", "id"], set_=columns)
        with self.engine.begin() as connection:
            connection.execute(statement, rows)

    def iter_tickets(self, locale: str | None = None) -> Iterator[Ticket]:
        query = sa.select(tickets).order_by(tickets.c.created_at, tickets.c.id)
        if locale:
            query = query.where(tickets.c.locale == locale)
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=2000).execute(query):
                data = dict(row._mapping)
                data.pop("imported_at")
                for name in ("created_at", "first_reply_at", "solved_at"):
                    moment = data[name]
                    if moment is not None and moment.tzinfo is None:  # SQLite keeps no zone
                        data[name] = moment.replace(tzinfo=dt.UTC)
                yield Ticket(**data)

    def count_tickets(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(tickets)).scalar() or 0
            )

    # -- staff -------------------------------------------------------------------------------

    def add_user(self, email: str, password_hash: str, role: str) -> None:
        row = {
            "email": email.strip().casefold(),
            "password_hash": password_hash,
            "role": role,
            "created_at": dt.datetime.now(dt.UTC),
        }
        with self.engine.begin() as connection:
            connection.execute(users.delete().where(users.c.email == row["email"]))
            connection.execute(users.insert().values(**row))

    def user(self, email: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(users).where(users.c.email == email.strip().casefold())
            ).first()
        return dict(row._mapping) if row else None

    def users(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(users).order_by(users.c.email))
            return [dict(r._mapping) for r in rows]

    def remove_user(self, email: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(users.delete().where(users.c.email == email.strip().casefold()))

    def save_draft(
        self,
        locale: str,
        article: str,
        text: str,
        author: str,
        cluster: str | None = None,
        draft_id: int | None = None,
    ) -> int:
        row = {
            "locale": locale,
            "article": article,
            "text": text,
            "author": author,
            "cluster": cluster,
            "status": "draft",
            "updated_at": dt.datetime.now(dt.UTC),
        }
        with self.engine.begin() as connection:
            if draft_id is not None:
                connection.execute(drafts.update().where(drafts.c.id == draft_id).values(**row))
                return draft_id
            key = connection.execute(drafts.insert().values(**row)).inserted_primary_key
            assert key is not None
            return int(key[0])

    def draft(self, draft_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(drafts).where(drafts.c.id == draft_id)).first()
        return dict(row._mapping) if row else None

    def open_drafts(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(drafts)
                .where(drafts.c.status == "draft")
                .order_by(drafts.c.updated_at.desc())
            )
            return [dict(r._mapping) for r in rows]

    def close_draft(self, draft_id: int, status: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                drafts.update()
                .where(drafts.c.id == draft_id)
                .values(status=status, updated_at=dt.datetime.now(dt.UTC))
            )

    def dispose(self) -> None:
        self.engine.dispose()
