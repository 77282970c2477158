"""The Alembic migrations build the same schema on SQLite and PostgreSQL, and go down again."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect

from bot.handoff.counsellors import authenticate, create_counsellor
from bot.handoff.db import current_tables, migrate
from bot.handoff.models import Base
from bot.handoff.service import add_note, add_tag, claim, close, get_case, open_case

TABLES = {"cases", "case_events", "counsellors", "notes", "tags", "case_tags", "canned_replies"}


def columns(engine) -> dict[str, set[str]]:
    found = inspect(engine)
    return {t: {c["name"] for c in found.get_columns(t)} for t in TABLES}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.db'}"
    return request.getfixturevalue("postgres_url")


def test_migrations_build_the_models_schema_and_roll_back(database):
    engine = create_engine(database, future=True)
    if "alembic_version" in current_tables(engine):
        migrate(engine, "base", down=True)  # the session's PostgreSQL is shared between tests
    migrate(engine)
    assert current_tables(engine) >= TABLES
    expected = {t.name: {c.name for c in t.columns} for t in Base.metadata.sorted_tables}
    assert columns(engine) == {t: expected[t] for t in TABLES}
    migrate(engine, "base", down=True)
    assert current_tables(engine) - {"alembic_version"} == set()
    migrate(engine)
    engine.dispose()


def test_the_case_service_runs_on_the_migrated_database(database):
    engine = create_engine(database, future=True)
    if "alembic_version" in current_tables(engine):
        migrate(engine, "base", down=True)
    engine.dispose()
    create_counsellor("ana", "a-long-password", languages=["ar"], url=database)
    assert authenticate("ana", "a-long-password", url=database).languages == ("ar",)
    case = open_case("c1", channel="telegram", language="ar", reason="requested", url=database)
    claim(case.id, "ana", url=database)
    add_note(case.id, "ana", "called back", url=database)
    add_tag(case.id, "Medical", by="ana", url=database)
    close(case.id, by="ana", reason="closed_by_counsellor", url=database)
    detail = get_case(case.id, url=database)
    assert detail.summary.status == "closed" and detail.summary.tags == ("medical",)
    assert [e.kind for e in detail.timeline] == ["created", "claimed", "noted", "tagged", "closed"]
