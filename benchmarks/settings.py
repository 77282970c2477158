"""What a benchmark run does, from the environment (`make bench`, `BENCH_QUICK=1 make bench`).

BENCH_QUICK=1        smoke run: 1 and 2 users, a few turns, turn 20 instead of 200, no training,
                     no peer; results in var/bench/quick/ (the docs are not touched)
BENCH_USERS=1,8,32   concurrent users per load level
BENCH_MESSAGES=320   messages per load level and channel (each user runs 10-turn conversations)
BENCH_LONG_TURNS=200 length of the one long conversation (latency at turn 10 vs this turn)
BENCH_PARSE_REQUESTS=300  /model/parse requests, from 1 client then from 8
BENCH_PEER=0         leave out Rasa's default pipeline (full mode runs it)
BENCH_PEER_EPOCHS=2  epochs of each of the peer's models (Rasa's default is 100, about 7 hours on
                     2 cores; `full` trains exactly the config rasa init writes)
BENCH_TRAIN=0        do not measure training; show the recorded time if its inputs are unchanged
BENCH_RETRAIN=1      measure training again even when a time for the same inputs is recorded
BENCH_SEED=7         seed of the traffic (same conversations for both servers)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.paths import ROOT, VAR

BENCH_VAR = VAR / "bench"


@dataclass(frozen=True)
class Settings:
    quick: bool
    users: tuple[int, ...]
    messages_per_level: int
    turns_per_conversation: int
    long_turns: int
    window: int  # turns per latency window of the long conversation (1-10 vs the last 10)
    parse_requests: int
    parse_concurrency: int
    warmup: int
    peer: bool
    peer_epochs: int | None  # None: rasa init's config as it is (100 epochs)
    train: bool
    retrain: bool
    seed: int
    out: Path  # raw results, logs, working directories of the servers
    report: Path  # the markdown written from the results
    images: Path  # its plots (bench-*.png)

    @property
    def mode(self) -> str:
        return "quick" if self.quick else "full"


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value not in ("0", "false", "no", "off")


def _epochs(value: str) -> int | None:
    value = value.strip().lower()
    if value in ("full", "default", "100"):
        return None
    epochs = int(value)
    if epochs < 1:
        raise ValueError(f"BENCH_PEER_EPOCHS must be at least 1 or 'full', not {value!r}")
    return epochs


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    quick = _flag(env, "BENCH_QUICK", False)
    users = tuple(
        int(x) for x in env.get("BENCH_USERS", "1,2" if quick else "1,8,32").split(",") if x.strip()
    )
    out = BENCH_VAR / ("quick" if quick else "full")
    return Settings(
        quick=quick,
        users=users,
        messages_per_level=int(env.get("BENCH_MESSAGES", 10 if quick else 320)),
        turns_per_conversation=5 if quick else 10,
        long_turns=int(env.get("BENCH_LONG_TURNS", 20 if quick else 200)),
        window=10,
        parse_requests=int(env.get("BENCH_PARSE_REQUESTS", 20 if quick else 300)),
        parse_concurrency=2 if quick else 8,
        warmup=5 if quick else 20,
        # Quick mode never trains and never runs the peer (its training takes far too long).
        peer=False if quick else _flag(env, "BENCH_PEER", True),
        peer_epochs=_epochs(env.get("BENCH_PEER_EPOCHS", "2")),
        train=False if quick else _flag(env, "BENCH_TRAIN", True),
        retrain=_flag(env, "BENCH_RETRAIN", False),
        seed=int(env.get("BENCH_SEED", 7)),
        out=out,
        report=out / "benchmarks.md" if quick else ROOT / "docs" / "benchmarks.md",
        images=out / "img" if quick else ROOT / "docs" / "img",
    )
