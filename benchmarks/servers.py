"""Starts the processes `make run` starts (action server, Rasa server, counsellor console) with a
given model, on free ports, with their stores in a fresh working directory; stops them."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.cli import action_server, rasa_env, rasa_server, write_endpoints
from bot.paths import ROOT
from bot.processes import free_port, stop, wait_until

TOKEN = "benchmark-token"


@dataclass
class Stack:
    name: str
    model: Path
    work: Path
    rasa_url: str
    actions_url: str
    console_url: str | None
    token: str
    startup_s: dict[str, float] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.procs.items() if proc.poll() is None}

    def alive(self) -> bool:
        return all(proc.poll() is None for proc in self.procs.values())


@contextlib.contextmanager
def stack(name: str, model: Path, work: Path, console: bool = True) -> Iterator[Stack]:
    """Action server, Rasa server (REST and socket.io channels, HTTP API) and, if asked, the
    console; stores (tracker, cases) are SQLite files in `work`, as `make run` has them in var/."""
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("tracker.db", "cases.db"):
        (work / stale).unlink(missing_ok=True)
    rasa_port, actions_port, console_port = free_port(), free_port(), free_port()
    endpoints = write_endpoints(work / "endpoints.yml", actions_port, work)
    env = rasa_env() | {
        "CASES_DATABASE_URL": f"sqlite:///{work / 'cases.db'}",
        # Where the console's retention purge looks (else var/tracker.db, the dev store).
        "TRACKER_DATABASE_URL": f"sqlite:///{work / 'tracker.db'}",
        # The load is the point here: one simulated person sends 200 messages without pausing,
        # which the per-sender rate limit (bot/limits.py) would rightly refuse.
        "RATE_LIMIT_BURST": "100000",
    }
    commands = {
        "actions": action_server(actions_port),
        "rasa": [
            *rasa_server(), "run", "--model", str(model), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"), "--port", str(rasa_port),
            "--enable-api", "--auth-token", TOKEN, "-i", "127.0.0.1",
        ],
    }  # fmt: skip
    health = {
        "actions": (f"http://127.0.0.1:{actions_port}/health", 120),
        "rasa": (f"http://127.0.0.1:{rasa_port}/status?token={TOKEN}", 400),
    }
    if console:
        commands["console"] = [sys.executable, "-m", "bot.console", "--port", str(console_port)]
        health["console"] = (f"http://127.0.0.1:{console_port}/health", 120)
    envs = {
        "console": env
        | {
            "RASA_URL": f"http://127.0.0.1:{rasa_port}",
            "RASA_AUTH_TOKEN": TOKEN,
            "CONSOLE_SECRET_KEY": "benchmark-secret",
        }
    }
    result = Stack(
        name,
        model,
        work,
        f"http://127.0.0.1:{rasa_port}",
        f"http://127.0.0.1:{actions_port}",
        f"http://127.0.0.1:{console_port}" if console else None,
        TOKEN,
    )
    launched: dict[str, float] = {}
    try:
        for proc_name, command in commands.items():
            log = work / f"{proc_name}.log"
            launched[proc_name] = time.monotonic()
            result.procs[proc_name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=envs.get(proc_name, env),
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
        for proc_name, (url, seconds) in health.items():
            result.startup_s[proc_name] = wait_until(
                url,
                seconds,
                result.procs[proc_name],
                work / f"{proc_name}.log",
                launched[proc_name],
            )
        yield result
    finally:
        stop(*reversed(list(result.procs.values())))
