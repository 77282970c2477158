"""One benchmark run: training times, then each server (ours, then the peer) under the same load,
then the side-by-side table, the raw JSON, the plots and the report."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import sqlite3
import time
from collections.abc import Awaitable
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import psutil

from benchmarks import report, rest, sio, training
from benchmarks.memory import Sampler, cpu_seconds, cpu_used, snapshot
from benchmarks.servers import stack
from benchmarks.settings import Settings, from_env
from bot.cli import CURRENT
from bot.paths import ROOT


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "—"

    return {
        "cpu_model": cpu,
        "cores_logical": psutil.cpu_count(),
        "cores_physical": psutil.cpu_count(logical=False),
        "ram_gib": psutil.virtual_memory().total / 2**30,
        "os": platform.platform(),
        "python": platform.python_version(),
        "rasa": version("rasa"),
        "rasa_sdk": version("rasa-sdk"),
        "tensorflow": version("tensorflow"),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def short(summary: dict) -> str:
    def ms(key: str) -> str:
        value = summary.get(key)
        return "—" if value is None else f"{value:.0f}"

    tp = summary.get("throughput_per_s")
    return (
        f"p50 {ms('p50_ms')} / p95 {ms('p95_ms')} / p99 {ms('p99_ms')} ms, "
        f"{0 if tp is None else tp:.1f}/s, {summary['completed']} ok, {summary['errors']} errors, "
        f"{summary['non_200']} non-200, {summary['no_reply']} without reply"
    )


async def measured(pids: dict[str, int], job: Awaitable[dict]) -> dict:
    """Runs one load and adds the CPU seconds each process used meanwhile (the load generator
    is this process: "generator")."""

    def now() -> dict[str, float | None]:
        # The generator alone: the servers are its children.
        return cpu_seconds(pids) | {"generator": sum(psutil.Process().cpu_times()[:2])}

    before = now()
    run = await job
    run["cpu_s"] = cpu_used(before, now())
    return run


async def load_one_server(
    settings: Settings, rasa_url: str, token: str, tag: str, pids: dict[str, int]
) -> dict:
    """The same traffic for every server: a fresh Traffic with the same seed each time."""
    from benchmarks.traffic import Traffic

    traffic = Traffic(settings.seed)
    out: dict = {}
    # Warm-up, not measured: the first use of a path (a form, a channel) loads code and data.
    warm = await rest.webhook_load(rasa_url, traffic.warmup(f"{tag}-warmup", settings.warmup))
    warm_sio = await sio.socketio_load(rasa_url, [[traffic.mixed(f"{tag}-warmup-sio", 3)]])
    await rest.parse_load(rasa_url, token, traffic.parse_texts(settings.warmup), 1)
    out["warmup"] = {"rest": warm["summary"], "socketio": warm_sio["summary"]}
    log(f"  warm-up REST: {short(warm['summary'])}")

    texts = traffic.parse_texts(settings.parse_requests)
    out["parse"] = {
        "sequential": await measured(pids, rest.parse_load(rasa_url, token, texts, 1)),
        "concurrent": await measured(
            pids, rest.parse_load(rasa_url, token, texts, settings.parse_concurrency)
        ),
    }
    for kind, run in out["parse"].items():
        log(f"  /model/parse {kind}: {short(run['summary'])}")

    talk = traffic.long(f"{tag}-long", settings.long_turns, settings.window)
    out["long"] = await rest.long_conversation(rasa_url, token, talk, settings.window)
    run = out["long"]
    log(
        f"  long conversation ({run['turns']} turns, {run['language']}): "
        f"turns 1-{settings.window} {report.fmt(run['early_median_ms'])} ms, last "
        f"{settings.window} {report.fmt(run['late_median_ms'])} ms, "
        f"ratio {report.fmt(run['late_over_early'], '×')}, sessions {run['sessions']}, "
        f"paused {run['paused']}; {short(run['summary'])}"
    )

    for channel, runner in (("rest", rest.webhook_load), ("socketio", sio.socketio_load)):
        out[channel] = []
        for users in settings.users:
            plan = traffic.plan(
                f"{tag}-{channel}-{users}",
                users,
                settings.messages_per_level,
                settings.turns_per_conversation,
            )
            run = await measured(pids, runner(rasa_url, plan))
            out[channel].append(run)
            log(f"  {channel} {users} user(s): {short(run['summary'])}")
            log(f"    CPU ms per message: {report.cpu_text(run)}")
    return out


def handoffs(work: Path) -> dict:
    """Conversations the traffic paused (a handoff: misread small talk, a question read as a
    request for a person) and the cases opened; the console's watcher polls each open case."""
    queries = {
        "paused_conversations": (
            "tracker.db",
            "SELECT COUNT(DISTINCT sender_id) FROM events WHERE type_name = 'pause'",
        ),
        "cases": ("cases.db", "SELECT COUNT(*) FROM cases"),
    }
    found: dict = {}
    for key, (file, query) in queries.items():
        found[key] = None
        with (
            contextlib.suppress(sqlite3.Error),
            contextlib.closing(sqlite3.connect(work / file)) as db,
        ):
            found[key] = db.execute(query).fetchone()[0]
    return found


def bench_server(settings: Settings, name: str, model: Path) -> dict:
    log(f"starting {name}: {model.relative_to(ROOT)} (+ action server, console)")
    with stack(name, model, settings.out / name) as servers:
        log(f"  up: {', '.join(f'{k} {v:.0f} s' for k, v in servers.startup_s.items())}")
        pids = servers.pids()
        after_start = snapshot(pids)
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        with Sampler(pids) as memory:
            result = asyncio.run(
                load_one_server(settings, servers.rasa_url, servers.token, name, pids)
            )
        after_load = snapshot(pids)
        paused = handoffs(servers.work)
        log(f"  handoffs during the run: {paused}")
        if not servers.alive():
            raise RuntimeError(f"a process of {name} died during the load; see {servers.work}")
    result.update(
        model=str(model.relative_to(ROOT)),
        startup_s=servers.startup_s,
        load_average_before=load_before,
        handoffs=paused,
        memory={
            "after_start": after_start,
            "after_load": after_load,
            "peak": memory.peak,
            "timeline": memory.timeline,
        },
    )
    log(
        "  RSS after load (MiB): "
        + ", ".join(f"{k} {v:.0f}" for k, v in after_load.items() if v is not None)
        + "; peak: "
        + ", ".join(f"{k} {v:.0f}" for k, v in memory.peak.items())
    )
    return result


def main() -> int:
    settings = from_env()
    settings.out.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "mode": settings.mode,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(settings).items()}
        | {"mode": settings.mode},
        "machine": machine(),
        "training": {},
        "servers": {},
        "skipped": {},
        "results_file": str((settings.out / "results.json").relative_to(ROOT)),
    }
    log(f"{settings.mode} run; results in {settings.out.relative_to(ROOT)}")
    if not CURRENT.exists():
        log("no models/current.tar.gz: run `make train` first")
        return 1

    results["training"]["ours"] = training.training("ours", settings.train, settings.retrain)
    peer_model = None
    if settings.peer:
        peer = training.training("peer", True, settings.retrain, settings.peer_epochs)
        results["training"]["peer"] = peer
        peer_model = training.model_path("peer")
    else:
        results["skipped"]["peer"] = "quick mode" if settings.quick else "BENCH_PEER=0"
    if not settings.train and not results["training"]["ours"]:
        results["skipped"]["training"] = "quick mode" if settings.quick else "BENCH_TRAIN=0"

    results["servers"]["ours"] = bench_server(settings, "ours", CURRENT)
    if peer_model is not None:
        results["servers"]["peer"] = bench_server(settings, "peer", peer_model)
    results["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")

    path = settings.out / "results.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(report.table_text(results))
    faults = report.faults_text(results)
    for line in faults:
        print(f"ERRORS: {line}")
    written = report.write(results, settings.report, settings.images)
    log(f"raw results: {path.relative_to(ROOT)}")
    log("written: " + ", ".join(str(p.relative_to(ROOT)) for p in written))
    return 0


def regenerate(mode: str) -> int:
    """Rewrites the plots and the report from the saved results (no servers)."""
    settings = from_env({"BENCH_QUICK": "1" if mode == "quick" else "0"})
    path = settings.out / "results.json"
    results = report.load(path)
    print(report.table_text(results))
    written = report.write(results, settings.report, settings.images)
    print("written: " + ", ".join(str(p.relative_to(ROOT)) for p in written))
    return 0
