"""The tables before events: feedback, tickets, staff users, drafts, settings.

Databases made before migrations existed hold some or all of these already (with their
rows), so only the missing ones are created.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(name: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _missing("feedback"):
        _feedback()
    if _missing("tickets"):
        _tickets()
    if _missing("users"):
        _users()
    if _missing("drafts"):
        _drafts()
    if _missing("settings"):
        op.create_table(
            "settings",
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
        )


def _feedback() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("article", sa.String(200), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("query", sa.String(500)),
        sa.Column("context", sa.String(64)),
    )
    op.create_index("ix_feedback_article", "feedback", ["locale", "article"])


def _tickets() -> None:
    op.create_table(
        "tickets",
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("channel", sa.String(64)),
        sa.Column("requester", sa.String(64)),
        sa.Column("status", sa.String(64)),
        sa.Column("first_reply_at", sa.DateTime(timezone=True)),
        sa.Column("solved_at", sa.DateTime(timezone=True)),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tickets_locale_created", "tickets", ["locale", "created_at"])


def _users() -> None:
    op.create_table(
        "users",
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def _drafts() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("article", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("cluster", sa.String(64)),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("settings", "drafts", "users", "tickets", "feedback"):
        op.drop_table(table)
