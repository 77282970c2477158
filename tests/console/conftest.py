"""A console app on a real SQLite cases database; Rasa is not started (never reached here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from console_login import PASSWORD
from starlette.testclient import TestClient

from bot.console.app import ConsoleSettings, create_app
from bot.handoff.counsellors import create_counsellor


@pytest.fixture
def app(cases_db):
    settings = ConsoleSettings(
        rasa_url="http://127.0.0.1:9",  # nothing listens: a view that needs Rasa says so
        rasa_token="x",
        secret_key="test-secret",
        queue_timeout=dt.timedelta(minutes=60),
    )
    create_counsellor("ana", PASSWORD, role="admin", languages=["fr", "ar"])
    create_counsellor("bo", PASSWORD, languages=["nl"])
    return create_app(settings, watcher=False)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c
