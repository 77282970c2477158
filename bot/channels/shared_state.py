"""State the channels keep per sender that every replica must share: the rate limit and the
Telegram updates already handled.

With one Rasa server it lives in the process (bot.limits.RateLimiter, SeenUpdates). Behind nginx
with several replicas (the production profile) a sender's messages, and Telegram's redelivery of
an update, may land on any replica: in-process state would let a flood through at that many times
the limit and answer a redelivered update twice. CHANNEL_REDIS_URL puts both in Redis. Keys hold a
hash of the sender, never the id, and expire within minutes. If Redis fails, the process falls
back to its own state (logged) rather than refusing people's messages.
"""

from __future__ import annotations

import hashlib
import logging
import os
from typing import Any, Protocol

from bot.channels.telegram_messages import SeenUpdates
from bot.limits import Decision, RateLimiter

logger = logging.getLogger(__name__)

SEEN_SECONDS = 24 * 3600  # Telegram gives up redelivering an update well within a day

# A token bucket, atomically: tokens refill at `rate` per second up to `burst`; one message takes
# one. `warned` remembers that the person was told, so they are told once per refusal streak.
TOKEN_BUCKET = """
local burst, rate, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'last', 'warned')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
local warned = state[3] == '1'
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local allowed, warn = 0, 0
if tokens >= 1 then
  tokens, allowed, warned = tokens - 1, 1, false
else
  if not warned then warn = 1 end
  warned = true
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now),
           'warned', warned and '1' or '0')
redis.call('EXPIRE', KEYS[1], ttl)
return {allowed, warn}
"""


def _key(kind: str, value: object) -> str:
    return f"returnee:{kind}:" + hashlib.sha256(str(value).encode()).hexdigest()[:32]


class Limiter(Protocol):
    async def check(self, sender: str) -> Decision: ...


class Seen(Protocol):
    async def first_time(self, update_id: int) -> bool: ...


class LocalLimiter:
    def __init__(self, limiter: RateLimiter | None = None) -> None:
        self.limiter = limiter or RateLimiter()

    async def check(self, sender: str) -> Decision:
        return self.limiter.check(sender)


class LocalSeen:
    def __init__(self) -> None:
        self.seen = SeenUpdates()

    async def first_time(self, update_id: int) -> bool:
        return self.seen.first_time(update_id)


class _RedisBacked:
    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.redis = redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._failing = False

    def _failed(self, error: Exception) -> None:
        if not self._failing:  # once per outage, not per message
            logger.warning("shared channel state unavailable (%s): per process for now", error)
        self._failing = True

    def _recovered(self) -> None:
        if self._failing:
            logger.info("shared channel state available again")
        self._failing = False


class RedisLimiter(_RedisBacked):
    def __init__(self, url: str, limiter: RateLimiter | None = None) -> None:
        super().__init__(url)
        self.local = limiter or RateLimiter()
        self._script: Any = None

    async def check(self, sender: str) -> Decision:
        burst, rate = self.local.burst, self.local.rate
        ttl = max(60, int(burst / rate) + 60) if rate > 0 else 3600
        try:
            if self._script is None:
                self._script = self.redis.register_script(TOKEN_BUCKET)
            allowed, warn = await self._script(keys=[_key("rate", sender)], args=[burst, rate, ttl])
        except Exception as error:  # noqa: BLE001 - any Redis failure: fall back, do not refuse
            self._failed(error)
            return self.local.check(sender)
        self._recovered()
        return Decision(bool(allowed), bool(warn))


class RedisSeen(_RedisBacked):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.local = SeenUpdates()

    async def first_time(self, update_id: int) -> bool:
        try:
            fresh = await self.redis.set(_key("update", update_id), 1, nx=True, ex=SEEN_SECONDS)
        except Exception as error:  # noqa: BLE001
            self._failed(error)
            return self.local.first_time(update_id)
        self._recovered()
        self.local.first_time(update_id)  # so a later outage still knows the recent ones
        return bool(fresh)


def redis_url(env: dict[str, str] | None = None) -> str | None:
    env = dict(os.environ) if env is None else env
    return env.get("CHANNEL_REDIS_URL") or None


def rate_limiter(env: dict[str, str] | None = None) -> Limiter:
    url = redis_url(env)
    return RedisLimiter(url) if url else LocalLimiter()


def seen_updates(env: dict[str, str] | None = None) -> Seen:
    url = redis_url(env)
    return RedisSeen(url) if url else LocalSeen()
