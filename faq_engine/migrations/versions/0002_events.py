"""Events for the self-service KPIs, API keys for /api/v1/stats, each staff member's language.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("context", sa.String(64)),
        sa.Column("category", sa.String(64)),
        sa.Column("session", sa.String(64)),
        sa.Column("query", sa.String(500)),
        sa.Column("answers", sa.String(1000)),
        sa.Column("article", sa.String(200)),
        sa.Column("no_answer", sa.Boolean),
        sa.Column("helpful", sa.Boolean),
        sa.Column("open_now", sa.Boolean),
    )
    op.create_index("ix_events_hour", "events", ["hour"])
    op.create_index("ix_events_locale_hour", "events", ["locale", "hour"])
    op.create_index("ix_events_session", "events", ["session"])
    op.create_table(
        "api_keys",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
    op.drop_table("api_keys")
    op.drop_table("events")
