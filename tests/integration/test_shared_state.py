"""The rate limit and Telegram's handled updates are shared by replicas through a real Redis
(bot/channels/shared_state.py), and keep working per process while Redis is down."""

from __future__ import annotations

import asyncio

import pytest
import redis

from bot.channels.shared_state import RedisLimiter, RedisSeen, rate_limiter, seen_updates
from bot.limits import RateLimiter
from bot.processes import free_port

pytestmark = pytest.mark.integration


def test_two_replicas_share_one_bucket_per_sender(redis_url: str) -> None:
    async def scenario() -> list[tuple[bool, bool]]:
        replicas = [RedisLimiter(redis_url, RateLimiter(burst=4, per_minute=1)) for _ in range(2)]
        return [
            (d.allowed, d.warn) for d in [await replicas[i % 2].check("person-a") for i in range(7)]
        ]

    decisions = asyncio.run(scenario())
    # 4 messages pass whichever replica takes them; the 5th is refused with the one notice.
    assert decisions == [(True, False)] * 4 + [(False, True), (False, False), (False, False)]

    other = RedisLimiter(redis_url, RateLimiter(burst=4, per_minute=1))
    assert asyncio.run(other.check("person-b")).allowed  # another sender has their own bucket


def test_the_sender_id_is_not_stored_in_redis(redis_url: str) -> None:
    asyncio.run(RedisLimiter(redis_url).check("telegram-123456789"))
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("*")]
    assert keys and not any("123456789" in k for k in keys)
    assert all(0 < redis.Redis.from_url(redis_url).ttl(k) <= 3600 for k in keys)


def test_an_update_redelivered_to_the_other_replica_is_handled_once(redis_url: str) -> None:
    async def scenario() -> list[bool]:
        first, second = RedisSeen(redis_url), RedisSeen(redis_url)
        return [
            await first.first_time(501),
            await second.first_time(501),
            await second.first_time(502),
        ]

    assert asyncio.run(scenario()) == [True, False, True]


def test_redis_down_falls_back_to_the_process() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"

    async def scenario() -> tuple[list[bool], list[bool]]:
        limiter = RedisLimiter(dead, RateLimiter(burst=2, per_minute=1))
        seen = RedisSeen(dead)
        allowed = [(await limiter.check("p")).allowed for _ in range(3)]
        return allowed, [await seen.first_time(7), await seen.first_time(7)]

    allowed, seen = asyncio.run(scenario())
    assert allowed == [True, True, False]  # still limited, by this process
    assert seen == [True, False]


def test_without_a_url_the_state_is_per_process() -> None:
    assert type(rate_limiter({})).__name__ == "LocalLimiter"
    assert type(seen_updates({})).__name__ == "LocalSeen"
    assert isinstance(rate_limiter({"CHANNEL_REDIS_URL": "redis://x:1/0"}), RedisLimiter)
