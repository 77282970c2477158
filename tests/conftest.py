"""Shared test setup: each test gets its own cases database; nothing touches var/."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture
def cases_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("CASES_DATABASE_URL", url)
    return url
