"""Resident memory (RSS) and CPU time of processes and their children, read with psutil."""

from __future__ import annotations

import contextlib
import threading
import time

import psutil

MIB = 1024 * 1024


def rss_mib(pid: int) -> float | None:
    """RSS of a process and all its descendants, in MiB; None once it is gone."""
    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                total += child.memory_info().rss
        return total / MIB
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def snapshot(pids: dict[str, int]) -> dict[str, float | None]:
    return {name: rss_mib(pid) for name, pid in pids.items()}


class Sampler:
    """Reads the RSS of named processes every `interval` seconds in a thread; keeps the peaks."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = pids
        self.interval = interval
        self.peak: dict[str, float] = {}
        self.timeline: list[tuple[float, dict[str, float | None]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> dict[str, float | None]:
        now = snapshot(self.pids)
        self.timeline.append((round(time.monotonic() - self._started, 2), now))
        for name, value in now.items():
            if value is not None:
                self.peak[name] = max(value, self.peak.get(name, 0.0))
        return now

    def __enter__(self) -> Sampler:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def cpu_seconds(pids: dict[str, int]) -> dict[str, float | None]:
    """CPU time (user + system) used so far by each process and its descendants."""
    found: dict[str, float | None] = {}
    for name, pid in pids.items():
        try:
            proc = psutil.Process(pid)
            times = proc.cpu_times()
            total = times.user + times.system
            for child in proc.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                    child_times = child.cpu_times()
                    total += child_times.user + child_times.system
            found[name] = total
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            found[name] = None
    return found


def cpu_used(before: dict[str, float | None], after: dict[str, float | None]) -> dict:
    return {
        name: (after[name] - before[name])
        if before.get(name) is not None and after.get(name) is not None
        else None
        for name in after
    }
