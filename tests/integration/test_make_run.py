"""`make run` (python -m bot.cli run) serves Rasa, actions and the console; a signal stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.processes import free_port, wait_until

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def children_of(session_leaders: list[int]) -> list[int]:
    alive = []
    for pid in session_leaders:
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    return alive


def test_run_serves_then_sigint_stops_every_process(tmp_path):
    rasa_port, actions_port, console_port = free_port(), free_port(), free_port()
    env = os.environ | {"RETURNEE_VAR_DIR": str(tmp_path), "RASA_AUTH_TOKEN": "run-test"}
    env.pop("CASES_DATABASE_URL", None)
    log = tmp_path / "run.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--rasa-port",
            str(rasa_port),
            "--actions-port",
            str(actions_port),
            "--console-port",
            str(console_port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(f"http://127.0.0.1:{rasa_port}/status?token=run-test", 240, proc, log)
        reply = httpx.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-test", "message": "I want to talk to a person"},
            timeout=30,
        )
        assert reply.json() and "case" in reply.json()[0]["text"]
        # The case went to the cases database under the run's own var directory.
        assert (tmp_path / "cases.db").exists() and (tmp_path / "tracker.db").exists()
        leaders = [
            int(line.split()[0])
            for line in subprocess.run(
                ["ps", "-eo", "pid,ppid"], capture_output=True, text=True
            ).stdout.splitlines()[1:]
            if line.split()[1] == str(proc.pid)
        ]
        # The counsellor console runs too, and asks for a login.
        wait_until(f"http://127.0.0.1:{console_port}/health", 60, proc, log)
        queue = httpx.get(f"http://127.0.0.1:{console_port}/", follow_redirects=True, timeout=10)
        assert queue.url.path == "/login" and "Log in" in queue.text
        assert len(leaders) == 3
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        time.sleep(0.5)
        assert children_of(leaders) == []
    finally:
        if proc.poll() is None:
            proc.kill()
