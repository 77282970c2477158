"""Limits on incoming messages: cleaning, the size cap and the per-sender rate limit."""

from __future__ import annotations

from bot.limits import RateLimiter, cap, clean_text


def test_control_characters_go_and_writing_stays() -> None:
    assert clean_text("hel\x00lo\x1b[31m\u202e\ud800 there\n") == "hello[31m there"
    # Persian needs the zero-width non-joiner; emoji keep their variation selector.
    assert clean_text("می\u200cخواهم ❤\ufe0f") == "می\u200cخواهم ❤\ufe0f"
    assert clean_text("line one\nline\ttwo") == "line one\nline\ttwo"


def test_long_messages_are_cut() -> None:
    assert cap("a" * 10_000, 2000) == ("a" * 2000, True)
    assert cap("short", 2000) == ("short", False)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_a_flood_is_told_once_and_time_restores_the_sender() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=5, per_minute=30, clock=clock)
    assert all(limiter.check("a").allowed for _ in range(5))
    refused = [limiter.check("a") for _ in range(20)]
    assert not any(d.allowed for d in refused)
    assert [d.warn for d in refused].count(True) == 1  # one polite notice, not twenty
    assert limiter.check("b").allowed  # others are not affected
    clock.now += 2.0  # 30 a minute: one message every 2 s
    assert limiter.check("a").allowed
    again = limiter.check("a")
    assert not again.allowed and again.warn  # a new flood after an accepted message: told again


def test_memory_stays_bounded() -> None:
    limiter = RateLimiter(max_senders=100)
    for n in range(1000):
        limiter.check(f"s{n}")
    assert len(limiter._buckets) == 100
