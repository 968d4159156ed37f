"""The database: tables (SQLAlchemy Core) and the writes the public API makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

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
    sa.Column("locale", sa.String(16)),  # the workspace's language for this member
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

EVENT_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")

events = sa.Table(
    "events",
    metadata,
    # SQLite only numbers an INTEGER PRIMARY KEY by itself; PostgreSQL gets a 64-bit key.
    sa.Column("id", EVENT_ID, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    # Whole hours since 1970 (UTC): groups by hour and day the same way in every database.
    sa.Column("hour", sa.Integer, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),  # see analytics.recorder.TYPES
    sa.Column("locale", sa.String(16), nullable=False),
    sa.Column("context", sa.String(64)),
    sa.Column("category", sa.String(64)),
    sa.Column("session", sa.String(64)),  # random per page load in the widget; no cookie
    sa.Column("query", sa.String(500)),  # redacted and folded to lower case
    sa.Column("answers", sa.String(1000)),  # the answers' ids, space-separated, best first
    sa.Column("article", sa.String(200)),
    sa.Column("no_answer", sa.Boolean),
    sa.Column("helpful", sa.Boolean),
    sa.Column("open_now", sa.Boolean),  # contact events: was a person reachable then
    sa.Index("ix_events_hour", "hour"),
    sa.Index("ix_events_locale_hour", "locale", "hour"),
    sa.Index("ix_events_session", "session"),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),  # SHA-256, never the key
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
)

settings_table = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


MIGRATIONS = Path(__file__).parent / "migrations"


def _alembic(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def revisions(engine: sa.Engine) -> tuple[str | None, str | None]:
    """(the database's revision, the newest one this version of faq-engine knows)."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        head = ScriptDirectory.from_config(_alembic(connection)).get_current_head()
    return current, head


def migrate(engine: sa.Engine, revision: str = "head") -> str | None:
    """Bring the database to ``revision`` (up or down) with the Alembic migrations; returns
    where it was.

    On PostgreSQL an advisory lock makes instances that start together take turns. A
    database made before migrations existed has no version: the first revision creates only
    the tables it lacks, so its rows are kept.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(727271)"))
        config = _alembic(connection)
        before = MigrationContext.configure(connection).get_current_revision()
        # Revisions newest first: a target later in the list than the database is older.
        order = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
        if before in order and revision in order and order.index(revision) > order.index(before):
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)
    return before


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # Readers (the dashboard) and the event writer do not block each other in WAL mode;
    # a writer waits for another instead of failing at once.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Storage:
    """The database. When it cannot be reached at start, ``problem`` says why and the rest
    of the service (answers, help pages) keeps working; storage calls then raise."""

    def __init__(self, url: str, upgrade: bool = True) -> None:
        self.url = url
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        self._insert_events: tuple[str, list[str], list[tuple[int, Any]], bool] | None = None
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (
            None,
            "",
            ":memory:",
        ):
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.problem: str | None = None
        if upgrade:
            try:
                current, head = revisions(self.engine)
                if current != head:
                    migrate(self.engine)
            except sa.exc.OperationalError as exc:
                self.problem = str(exc.orig or exc).strip().splitlines()[0]

    def reachable(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True

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

    def iter_tickets(
        self,
        locale: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Iterator[Ticket]:
        """Tickets in creation order; with ``since``/``until`` only those created in
        [since, until)."""
        query = sa.select(tickets).order_by(tickets.c.created_at, tickets.c.id)
        if locale:
            query = query.where(tickets.c.locale == locale)
        if since is not None:
            query = query.where(tickets.c.created_at >= since)
        if until is not None:
            query = query.where(tickets.c.created_at < until)
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

    # -- events and API keys --------------------------------------------------------------

    def add_events(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert events (one statement for the batch); a field left out is NULL.

        Every search is an event, so this runs for every answer: the statement is compiled
        once for the database's dialect and each row goes through the columns' own bind
        processors, then to the driver's ``executemany`` (SQLAlchemy's generic per-row work
        cost twice the database's own).
        """
        sql, order, processors, named = self._event_insert()
        batch: list[Any] = []
        for row in rows:
            values = [row.get(name) for name in order]
            for i, process in processors:
                if values[i] is not None:
                    values[i] = process(values[i])
            batch.append(dict(zip(order, values, strict=True)) if named else tuple(values))
        if batch:
            with self.engine.begin() as connection:
                connection.exec_driver_sql(sql, batch)
        return len(batch)

    def _event_insert(self) -> tuple[str, list[str], list[tuple[int, Any]], bool]:
        cached = self._insert_events
        if cached is None:
            dialect = self.engine.dialect
            names = [c.name for c in events.columns if c.name != "id"]
            compiled = events.insert().compile(dialect=dialect, column_keys=names)
            order = list(compiled.positiontup or names)
            processors = []
            for i, name in enumerate(order):
                process = events.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    processors.append((i, process))
            named = not compiled.positional
            cached = self._insert_events = (str(compiled), order, processors, named)
        return cached

    def count_events(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(events)).scalar() or 0
            )

    def purge_events(self, before: dt.datetime) -> int:
        """Delete the events older than ``before``; returns how many went."""
        with self.engine.begin() as connection:
            result = connection.execute(events.delete().where(events.c.at < before))
            return int(result.rowcount or 0)

    def add_api_key(self, name: str, key_hash: str) -> None:
        row = {"name": name, "key_hash": key_hash, "created_at": dt.datetime.now(dt.UTC)}
        with self.engine.begin() as connection:
            connection.execute(api_keys.delete().where(api_keys.c.name == name))
            connection.execute(api_keys.insert().values(**row))

    def api_key_name(self, key_hash: str) -> str | None:
        """The name of the key with this hash (and note its use), or None."""
        with self.engine.begin() as connection:
            name = connection.execute(
                sa.select(api_keys.c.name).where(api_keys.c.key_hash == key_hash)
            ).scalar()
            if name is not None:
                connection.execute(
                    api_keys.update()
                    .where(api_keys.c.name == name)
                    .values(last_used_at=dt.datetime.now(dt.UTC))
                )
        return name

    def api_key_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(api_keys.c.name, api_keys.c.created_at, api_keys.c.last_used_at)
            )
            return [dict(r._mapping) for r in rows]

    def remove_api_key(self, name: str) -> bool:
        with self.engine.begin() as connection:
            return bool(
                connection.execute(api_keys.delete().where(api_keys.c.name == name)).rowcount
            )

    def set_user_locale(self, email: str, locale: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                users.update()
                .where(users.c.email == email.strip().casefold())
                .values(locale=locale)
            )

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()
