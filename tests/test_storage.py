"""The database on SQLite and on a real PostgreSQL server: Alembic migrations from an empty
database and from one made before migrations existed, events, retention, API keys."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from faq_engine.analytics.keys import hash_key, new_key
from faq_engine.cli import main
from faq_engine.storage import Storage, metadata, migrate, revisions

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _schema_differences(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata)


def test_upgrade_from_empty_gives_exactly_the_tables_of_the_code(database_url):
    storage = Storage(database_url)
    current, head = revisions(storage.engine)
    assert current == head == "0002"
    assert _schema_differences(storage.engine) == []
    storage.dispose()


def _old_schema(engine: sa.Engine) -> None:
    """The tables as faq-engine made them before migrations: create_all of the five tables,
    users without its language column."""
    old = sa.MetaData()
    for name in ("feedback", "tickets", "drafts", "settings"):
        metadata.tables[name].to_metadata(old)
    sa.Table(
        "users",
        old,
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    old.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO users (email, password_hash, role, created_at) "
                "VALUES ('a@example.com', 'x', 'admin', :at)"
            ),
            {"at": NOW},
        )
        connection.execute(
            sa.text(
                "INSERT INTO feedback (created_at, locale, article, helpful) "
                "VALUES (:at, 'sv', 'delivery-time', true)"
            ),
            {"at": NOW},
        )


def test_upgrade_keeps_a_database_made_before_migrations(database_url):
    engine = sa.create_engine(database_url)
    _old_schema(engine)
    engine.dispose()
    storage = Storage(database_url)  # migrates at start
    assert revisions(storage.engine)[0] == "0002"
    assert _schema_differences(storage.engine) == []
    user = storage.user("a@example.com")
    assert user is not None and user["role"] == "admin" and user["locale"] is None
    assert [r["article"] for r in storage.feedback_rows()] == ["delivery-time"]
    storage.set_user_locale("a@example.com", "sv")
    assert storage.user("A@example.com")["locale"] == "sv"
    storage.dispose()


def test_downgrade_and_upgrade_again(database_url):
    storage = Storage(database_url)
    storage.add_events([_event("search", NOW, query="x")])
    assert migrate(storage.engine, "0001") == "0002"
    assert not sa.inspect(storage.engine).has_table("events")
    assert migrate(storage.engine) == "0001"
    assert storage.count_events() == 0
    assert _schema_differences(storage.engine) == []
    storage.dispose()


def test_db_upgrade_command(database_url, capsys):
    assert main(["db", "upgrade", "--url", database_url]) == 0
    assert "revision 0002 (was none)" in capsys.readouterr().out
    assert main(["db", "upgrade", "--url", database_url]) == 0
    assert "revision 0002 (was 0002)" in capsys.readouterr().out


def _event(kind: str, at: dt.datetime, **fields: object) -> dict[str, object]:
    return {"type": kind, "at": at, "hour": int(at.timestamp() // 3600), "locale": "sv", **fields}


def test_events_are_stored_and_purged_by_age(database_url, capsys):
    storage = Storage(database_url)
    old, recent = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=10)
    stored = storage.add_events(
        [_event("search", old, query="gammal"), _event("open", recent, article="a")]
    )
    assert stored == 2 and storage.count_events() == 2
    assert storage.purge_events(NOW - dt.timedelta(days=365)) == 1
    assert storage.count_events() == 1
    storage.add_events([_event("search", old)])
    assert main(["db", "purge", "--url", database_url, "--days", "30"]) == 0
    assert "1 events older than 30 days deleted" in capsys.readouterr().out
    storage.dispose()


def test_events_written_by_the_driver_read_back_as_sqlalchemy_writes_them(database_url):
    storage = Storage(database_url)
    events = metadata.tables["events"]
    row = _event("contact_click", NOW, query="å ö", answers="a b", no_answer=True, open_now=False)
    names = [c.name for c in events.columns if c.name != "id"]
    with storage.engine.begin() as connection:  # SQLAlchemy's own insert, for comparison
        connection.execute(events.insert(), [{name: row.get(name) for name in names}])
    storage.add_events([row])
    with storage.engine.connect() as connection:
        ours, theirs = connection.execute(sa.select(events).order_by(events.c.id.desc())).all()
        raw = connection.execute(sa.text("SELECT at FROM events ORDER BY id")).scalars().all()
    at = ours._mapping["at"]
    assert (at if at.tzinfo else at.replace(tzinfo=dt.UTC)) == NOW  # SQLite keeps it naive
    assert ours.no_answer is True and ours.open_now is False
    assert ours.helpful is None and ours.query == "å ö"
    assert ours[1:] == theirs[1:] and raw[0] == raw[1]  # the same stored form, not only equal
    storage.dispose()


def test_api_keys_are_kept_as_hashes(database_url):
    storage = Storage(database_url)
    key = new_key()
    storage.add_api_key("reports", hash_key(key))
    assert storage.api_key_name(hash_key(key)) == "reports"
    assert storage.api_key_name(hash_key(key + "x")) is None
    with storage.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT key_hash FROM api_keys")).scalar()
    assert stored == hash_key(key) and key not in stored
    (row,) = storage.api_key_rows()
    assert row["name"] == "reports" and row["last_used_at"] is not None
    assert storage.remove_api_key("reports") and not storage.remove_api_key("reports")
    storage.dispose()


def test_keys_add_prints_the_key_once_and_stores_its_hash(database_url, capsys):
    assert main(["keys", "add", "dashboard", "--url", database_url]) == 0
    out = capsys.readouterr()
    key = out.out.strip()
    assert key.startswith("faq_") and len(key) > 40
    storage = Storage(database_url)
    assert storage.api_key_name(hash_key(key)) == "dashboard"
    assert main(["keys", "list", "--url", database_url]) == 0
    listed = capsys.readouterr().out
    assert "dashboard" in listed and key not in listed
    storage.dispose()


def test_an_unreachable_database_is_reported_not_raised():
    storage = Storage("postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    assert storage.problem and not storage.reachable()
    with pytest.raises(sa.exc.OperationalError):
        storage.count_events()
