"""Starting and stopping the project's servers as child processes: a free port, waiting until a
health URL answers, stopping with a kill after a grace period. Used by the production profile, the
benchmarks and the integration tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

GRACE_SECONDS = 15


class ProcessError(RuntimeError):
    """A server exited while starting, or did not become healthy in time."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def wait_until(
    url: str, seconds: float, proc: subprocess.Popen, log: Path, started: float | None = None
) -> float:
    """Polls `url` until it answers below 500; returns the seconds since `started` (monotonic,
    default now). Raises ProcessError with the log's tail if the process exits or time runs out."""
    started = time.monotonic() if started is None else started
    while time.monotonic() - started < seconds:
        if proc.poll() is not None:
            raise ProcessError(f"{url}: the process exited ({proc.returncode}):\n{_tail(log)}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise ProcessError(f"{url} did not come up in {seconds:.0f} s:\n{_tail(log)}")


def stop(*procs: subprocess.Popen, group: bool = False, sig: int = signal.SIGTERM) -> None:
    """Sends `sig` to every running process (to its whole process group with `group`, for those
    started with start_new_session), then kills those still running after GRACE_SECONDS."""

    def send(proc: subprocess.Popen, how: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # ended meanwhile
            os.killpg(proc.pid, how) if group else proc.send_signal(how)

    for proc in procs:
        if proc.poll() is None:
            send(proc, sig)
    for proc in procs:
        try:
            proc.wait(GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            send(proc, signal.SIGKILL)
            proc.wait()
