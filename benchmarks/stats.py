"""Latency percentiles and per-run summaries. Pure: no Rasa, no network, no numpy."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0-100) with linear interpolation between closest ranks.

    The same definition as numpy's default (`method="linear"`, Hyndman-Fan type 7): rank
    r = p/100 * (n-1) in the sorted values, interpolated between floor(r) and ceil(r).
    None for no values.
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0..100, got {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = p / 100 * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(
    latencies_ms: Sequence[float],
    *,
    wall_s: float,
    errors: int = 0,
    non_200: int = 0,
    no_reply: int = 0,
) -> dict[str, float | int | None]:
    """Figures of one run.

    `latencies_ms` are the completed requests only (status 200); `errors` are requests that got no
    HTTP answer (connection error, timeout), `non_200` those answered with another status, and
    `no_reply` completed requests whose answer held no bot message (counted, still completed).
    Throughput is completed messages per second of wall time.
    """
    done = len(latencies_ms)
    return {
        "completed": done,
        "errors": errors,
        "non_200": non_200,
        "no_reply": no_reply,
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "mean_ms": statistics.fmean(latencies_ms) if done else None,
        "max_ms": max(latencies_ms) if done else None,
        "wall_s": wall_s,
        "throughput_per_s": done / wall_s if wall_s > 0 else None,
    }


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)
