"""Starts the real action server and Rasa server, on free ports, with the trained model.

The model is models/current.tar.gz, trained by `make test` (`python -m bot.cli train`) before
pytest runs; these tests never train.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from processes import free_port, wait_until

from bot.cli import CURRENT, rasa_bin, rasa_env, write_endpoints

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "integration-test-token"


@dataclass
class Servers:
    rasa_url: str
    actions_url: str
    token: str
    cases_url: str
    tracker_db: Path


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    if not CURRENT.exists():
        pytest.fail("no trained model: run `make test` (it trains before pytest)")
    work = tmp_path_factory.mktemp("servers")
    rasa_port, actions_port = free_port(), free_port()
    cases_url = f"sqlite:///{work / 'cases.db'}"
    write_endpoints(work / "endpoints.yml", actions_port, work)
    env = rasa_env() | {"CASES_DATABASE_URL": cases_url}
    procs: list[subprocess.Popen] = []
    logs = {name: (work / f"{name}.log") for name in ("actions", "rasa")}
    try:
        procs.append(
            subprocess.Popen(
                [rasa_bin(), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                cwd=ROOT,
                env=env,
                stdout=logs["actions"].open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        procs.append(
            subprocess.Popen(
                [
                    rasa_bin(),
                    "run",
                    "--model",
                    str(CURRENT),
                    "--endpoints",
                    str(work / "endpoints.yml"),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                    "--port",
                    str(rasa_port),
                    "--enable-api",
                    "--auth-token",
                    TOKEN,
                    "-i",
                    "127.0.0.1",
                ],
                cwd=ROOT,
                env=env,
                stdout=logs["rasa"].open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        wait_until(f"http://127.0.0.1:{actions_port}/health", 60, procs[0], logs["actions"])
        wait_until(
            f"http://127.0.0.1:{rasa_port}/status?token={TOKEN}", 240, procs[1], logs["rasa"]
        )
        yield Servers(
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{actions_port}",
            TOKEN,
            cases_url,
            work / "tracker.db",
        )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        os.environ.pop("CASES_DATABASE_URL", None)
