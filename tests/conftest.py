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
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# actions/__init__ keeps TensorFlow out of the action server's memory by blocking its import.
# Tests of the action code and of Rasa NLU components share this process, so TensorFlow is
# loaded first, whatever order the tests are collected in.
import tensorflow  # noqa: E402, F401


@pytest.fixture
def cases_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    monkeypatch.setenv("CASES_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def postgres_url():
    """A throwaway PostgreSQL server (Debian's package, scripts/postgres.sh) for the session."""
    import shutil
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from bot.processes import free_port

    # Not under pytest's 0700 tmp dir: as root, the server runs as the postgres user.
    work = Path(tempfile.mkdtemp(prefix="returnee-pg-"))
    work.chmod(0o755)
    port = free_port()
    script = str(ROOT / "scripts" / "postgres.sh")
    subprocess.run(["bash", script, "start", str(work), str(port)], check=True)
    try:
        yield f"postgresql+psycopg2://test@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(["bash", script, "stop", str(work)], check=False)
        shutil.rmtree(work, ignore_errors=True)
