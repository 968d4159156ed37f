"""Alembic's entry point: runs the migrations on the connection ``faq_engine.migrate`` hands
over (or on ``sqlalchemy.url`` when Alembic's own command line is used)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from faq_engine.storage import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=metadata)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
