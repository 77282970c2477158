"""Engine and sessions for the cases database: SQLite file by default, PostgreSQL by URL.

The schema comes from the Alembic migrations in bot/handoff/migrations, applied when a process
first opens the database, so an upgraded install migrates itself.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.paths import VAR

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url() -> str:
    return os.environ.get("CASES_DATABASE_URL") or f"sqlite:///{VAR / 'cases.db'}"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine, revision: str = "head", *, down: bool = False) -> None:
    """Brings the schema up (or `down`) to `revision`; SQLite and PostgreSQL run the same code."""
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def current_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    # hide_parameters: an error (so a log line) never carries a conversation id or a note.
    engine = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        # Foreign keys are off by default in SQLite; cascades need them.
        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_connection, _record) -> None:  # pragma: no cover - driver callback
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    migrate(engine)
    return engine


def session_factory(url: str | None = None) -> sessionmaker:
    return sessionmaker(engine_for(url or database_url()), future=True, expire_on_commit=False)


def new_session(url: str | None = None) -> Session:
    return session_factory(url)()
