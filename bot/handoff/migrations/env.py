"""Alembic environment: the URL comes from the caller (bot.handoff.db.migrate), never a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.handoff.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
connection = config.attributes.get("connection")


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    engine = create_engine(url, future=True)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
