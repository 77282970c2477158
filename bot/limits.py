"""Limits on what people send: clean text, a size cap, a per-sender rate limit. Pure.

The channels apply them (bot/channels/guard.py) before Rasa sees a message, so a flood, a pasted
book or control characters cost the servers nothing and never reach the tracker.
"""

from __future__ import annotations

import os
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

# About two screens of a phone: longer messages are cut and the person is asked for shorter ones.
MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", "2000"))
# A person typing on a phone may send a few lines in a burst; a script sends hundreds.
RATE_LIMIT_BURST = int(os.environ.get("RATE_LIMIT_BURST", "12"))
RATE_LIMIT_PER_MINUTE = float(os.environ.get("RATE_LIMIT_PER_MINUTE", "30"))

_KEEP = {"\n", "\t"}


def clean_text(text: str) -> str:
    """Without control and format characters other than newline and tab, and without lone
    surrogates (invalid UTF-8 that reached us decoded with `surrogateescape`). Joiners stay:
    Persian spelling needs U+200C."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in _KEEP or char in "\u200c\u200d":
            kept.append(char)
        elif category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char != "\ufe0f"):
            continue
        else:
            kept.append(char)
    return "".join(kept).strip()


def cap(text: str, limit: int = MAX_MESSAGE_CHARS) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether it was cut."""
    return (text[:limit], True) if len(text) > limit else (text, False)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    warn: bool  # refused, and the person has not been told yet since their last accepted message


class RateLimiter:
    """A token bucket per sender: `burst` messages at once, then `per_minute` on average.

    Per process; bot.channels.shared_state keeps the same bucket in Redis for several replicas.
    """

    def __init__(
        self,
        burst: int = RATE_LIMIT_BURST,
        per_minute: float = RATE_LIMIT_PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = 100_000,
    ) -> None:
        self.burst = burst
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_senders = max_senders
        self._buckets: OrderedDict[str, tuple[float, float, bool]] = OrderedDict()

    def check(self, sender: str) -> Decision:
        now = self.clock()
        tokens, last, warned = self._buckets.pop(sender, (float(self.burst), now, False))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            decision, tokens, warned = Decision(True, False), tokens - 1.0, False
        else:
            decision, warned = Decision(False, not warned), True
        self._buckets[sender] = (tokens, now, warned)
        while len(self._buckets) > self.max_senders:  # the least recently seen go first
            self._buckets.popitem(last=False)
        return decision
