"""Engine and sessions for the cases database: SQLite file by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from functools import lru_cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.handoff.models import Base
from bot.paths import VAR


def database_url() -> str:
    return os.environ.get("CASES_DATABASE_URL") or f"sqlite:///{VAR / 'cases.db'}"


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        # Foreign keys are off by default in SQLite; cascades need them.
        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_connection, _record) -> None:  # pragma: no cover - driver callback
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    Base.metadata.create_all(engine)
    return engine


def session_factory(url: str | None = None) -> sessionmaker:
    return sessionmaker(engine_for(url or database_url()), future=True, expire_on_commit=False)


def new_session(url: str | None = None) -> Session:
    return session_factory(url)()
