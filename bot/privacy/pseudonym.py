"""Log lines never name a person: a conversation id becomes a short keyed hash.

The project's own log calls name no conversation (counts and case ids only). Two of Rasa's do: the
circuit-breaker warning ("... for sender '<id>'") and Sanic's error line for a failed request,
whose URL may be /conversations/<id>/... `PseudonymFilter` rewrites those records before any
handler writes them, so erasing a person leaves no log line that names them.

The key is random per process unless LOG_PSEUDONYM_KEY is set (then pseudonyms match across
processes and restarts); without the key a pseudonym cannot be traced back, not even by trying
every Telegram chat id.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets

_KEY = os.environ.get("LOG_PSEUDONYM_KEY", "").encode() or secrets.token_bytes(32)

# Where Rasa's own log lines put a conversation id.
_PATTERNS = (
    re.compile(r"(sender(?:_id)? ')([^']+)(')"),
    re.compile(r"(/conversations/)([^/?'\"\s]+)()"),
)
# Rasa's loggers that write such lines (a filter on a logger sees only its own records).
RASA_LOGGERS = ("rasa.core.processor", "sanic.error", "rasa.server")


def pseudonym(sender_id: str) -> str:
    """A short keyed hash of a conversation id, the same for the same id within a process."""
    digest = hmac.new(_KEY, sender_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"p-{digest[:10]}"


def scrub(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: f"{m.group(1)}{pseudonym(m.group(2))}{m.group(3)}", text)
    return text


class PseudonymFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install(loggers: tuple[str, ...] = RASA_LOGGERS) -> None:
    """Adds the filter once to each logger (called when the Rasa server loads its channels)."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PseudonymFilter) for f in logger.filters):
            logger.addFilter(PseudonymFilter())
