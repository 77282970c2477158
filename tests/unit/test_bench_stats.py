"""The benchmark's percentiles and summaries (benchmarks/stats.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from benchmarks.stats import percentile, summarize


def test_percentiles_of_one_to_a_hundred_interpolate_between_ranks():
    values = list(range(1, 101))
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 100


def test_order_of_the_input_does_not_matter():
    values = [30.0, 10.0, 20.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(reversed(values), 50) == 25.0


def test_one_value_is_every_percentile_and_no_value_gives_none():
    assert percentile([7.5], 50) == percentile([7.5], 99) == 7.5
    assert percentile([], 95) is None


def test_same_as_numpy_linear_percentiles_on_skewed_latencies():
    rng = random.Random(7)
    for n in (2, 3, 10, 99, 1000):
        values = [rng.lognormvariate(3, 1) for _ in range(n)]
        for p in (50, 90, 95, 99, 99.9):
            assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)))


def test_a_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summary_counts_errors_and_non_200_apart_and_throughput_uses_completed_only():
    summary = summarize([10.0, 20.0, 30.0, 40.0], wall_s=2.0, errors=3, non_200=1, no_reply=1)
    assert summary["completed"] == 4
    assert (summary["errors"], summary["non_200"], summary["no_reply"]) == (3, 1, 1)
    assert summary["throughput_per_s"] == 2.0
    assert summary["p50_ms"] == 25.0
    assert summary["max_ms"] == 40.0


def test_summary_of_a_run_where_everything_failed():
    summary = summarize([], wall_s=1.0, errors=5)
    assert summary["completed"] == 0 and summary["errors"] == 5
    assert summary["p95_ms"] is None and summary["mean_ms"] is None
    assert summary["throughput_per_s"] == 0
