"""Starts the real action server and Rasa server, on free ports, with the trained model.

The model is models/current.tar.gz, trained by `make test` (`python -m bot.cli train`) before
pytest runs; these tests never train.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import fake_telegram
import pytest
import redis
from chat import WAIT_MINUTES
from fake_telegram import TELEGRAM_POLLING_TOKEN, TELEGRAM_SECRET, TELEGRAM_TOKEN
from playwright.async_api import async_playwright, expect

from bot.cli import CURRENT, action_server, rasa_env, rasa_server, write_endpoints
from bot.processes import free_port, stop, wait_until

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Browser tests wait for answers that pass through Rasa, slow under a full CI run on 2 cores.
expect.set_options(timeout=20_000)
TOKEN = "integration-test-token"


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[fake_telegram.FakeTelegram]:
    fake, stop = fake_telegram.start(free_port())
    yield fake
    stop()


@dataclass
class Servers:
    rasa_url: str
    actions_url: str
    token: str
    cases_url: str
    tracker_db: Path
    work: Path
    endpoints: Path
    env: dict[str, str]


@pytest.fixture(scope="session")
def servers(tmp_path_factory, telegram_api) -> Iterator[Servers]:
    if not CURRENT.exists():
        pytest.fail("no trained model: run `make test` (it trains before pytest)")
    work = tmp_path_factory.mktemp("servers")
    rasa_port, actions_port = free_port(), free_port()
    cases_url = f"sqlite:///{work / 'cases.db'}"
    write_endpoints(work / "endpoints.yml", actions_port, work)
    env = rasa_env() | {
        "CASES_DATABASE_URL": cases_url,
        "RASA_AUTH_TOKEN": TOKEN,  # the privacy channel checks the console's erasures with it
        "HANDOFF_QUEUE_TIMEOUT_MINUTES": str(WAIT_MINUTES),
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
    }
    procs: list[subprocess.Popen] = []
    logs = {name: (work / f"{name}.log") for name in ("actions", "rasa")}
    try:
        procs.append(
            subprocess.Popen(
                action_server(actions_port),
                cwd=ROOT,
                env=env,
                stdout=logs["actions"].open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        procs.append(
            subprocess.Popen(
                [
                    *rasa_server(),
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
            work,
            work / "endpoints.yml",
            env,
        )
    finally:
        stop(*procs)
        os.environ.pop("CASES_DATABASE_URL", None)


@dataclass
class Console:
    url: str
    api_token: str
    admin: str
    password: str
    log: Path | None = None  # the console process's output


@pytest.fixture(scope="session")
def console(servers, tmp_path_factory) -> Iterator[Console]:
    """The counsellor console process (as `make run` starts it) on the servers' cases database,
    with a queue timeout of a day so that cases wait for the tests."""
    work = tmp_path_factory.mktemp("console")
    port = free_port()
    env = rasa_env() | {
        "CASES_DATABASE_URL": servers.cases_url,
        "TRACKER_DATABASE_URL": f"sqlite:///{servers.tracker_db}",  # purged by the console
        "RASA_URL": servers.rasa_url,
        "RASA_AUTH_TOKEN": servers.token,
        "CONSOLE_SECRET_KEY": "integration-secret",
        "CONSOLE_SWEEP_SECONDS": "1",
        "HANDOFF_QUEUE_TIMEOUT_MINUTES": str(WAIT_MINUTES),
        "COUNSELLOR_PASSWORD": "integration-password",
    }
    cli = [sys.executable, "-m", "bot.cli", "counsellor"]
    subprocess.run(
        [*cli, "add", "ana", "--role", "admin", "--languages", "en,fr,ar"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    token = (
        subprocess.run(
            [*cli, "token", "ana"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    log = work / "console.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.console", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(f"http://127.0.0.1:{port}/health", 60, proc, log)
        yield Console(f"http://127.0.0.1:{port}", token, "ana", "integration-password", log)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def polling_rasa(servers, tmp_path_factory) -> Iterator[str]:
    """A second Rasa server, its Telegram channel in polling mode (same actions and stores)."""
    work = tmp_path_factory.mktemp("polling")
    port = free_port()
    env = servers.env | {"TELEGRAM_MODE": "polling", "TELEGRAM_TOKEN": TELEGRAM_POLLING_TOKEN}
    log = work / "rasa.log"
    proc = subprocess.Popen(
        [
            *rasa_server(), "run", "--model", str(CURRENT), "--endpoints", str(servers.endpoints),
            "--credentials", str(ROOT / "credentials.yml"), "--port", str(port),
            "--enable-api", "--auth-token", TOKEN, "-i", "127.0.0.1",
        ],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until(f"http://127.0.0.1:{port}/status?token={TOKEN}", 240, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture
async def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/system_packages.sh (make test does)")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        await browser.close()


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests leave their screenshots (kept out of git)."""
    folder = ROOT / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if not Path(REDIS).exists():
        pytest.fail("redis-server is missing: run scripts/system_packages.sh")
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        proc = subprocess.Popen(
            [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", work],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            stop(proc)
