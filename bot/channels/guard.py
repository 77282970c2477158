"""What every input channel does with a message before and after Rasa handles it.

- Text is cleaned of control characters (bot.limits.clean_text).
- A sender over the rate limit gets one polite notice in their language; the extra messages are
  not processed (a flood must not cost the servers or fill the tracker).
- A message longer than MAX_MESSAGE_CHARS is cut, handled, and the person is asked for shorter
  ones.
- When the conversation store stays down past its retries (bot.stores), or handling fails in
  any other way, the person is told that the message was not kept and should be sent again:
  Rasa's own channels would answer nothing (and log the person's text with the error).

The person's language for these notices is the conversation's (read from the tracker store),
else their channel's hint, else the default.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint

from bot.channels.shared_state import Limiter, rate_limiter
from bot.language import language_after_message
from bot.limits import cap, clean_text
from bot.responses import load_catalog
from bot.stores import TrackerStoreUnavailable

logger = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[Any]]


def notice(response: str, language: str) -> str:
    catalog = load_catalog()
    variants = catalog.get(language, {}).get(response) or catalog["en"][response]
    return str(variants[0]["text"])


class Guard:
    def __init__(self, limiter: Limiter | None = None) -> None:
        self.limiter = limiter or rate_limiter()
        self.agent: Any = None

    def attach(self, blueprint: Blueprint) -> None:
        """Keeps a reference to Rasa's agent once the server runs, to read the language."""

        @blueprint.listener("after_server_start")
        async def keep_agent(app: Any, _loop: Any) -> None:
            self.agent = getattr(app.ctx, "agent", None)

    async def language(self, message: Any, *, store_down: bool = False) -> str:
        """The conversation's language; with the store down, the one detected in the message."""
        current, parsed = None, {}
        if self.agent is not None and not store_down:
            try:
                tracker = await self.agent.tracker_store.retrieve(message.sender_id)
                current = tracker.get_slot("language") if tracker is not None else None
            except Exception:  # noqa: BLE001 - a notice must not fail on the store
                store_down = True
        if self.agent is not None and store_down and isinstance(message.text, str):
            try:
                parsed = await self.agent.parse_message(message.text)  # NLU only, no store
            except Exception:  # noqa: BLE001
                parsed = {}
        return language_after_message(
            {**parsed, "metadata": message.metadata or {}}, current, False
        )

    async def tell(self, message: Any, response: str, *, store_down: bool = False) -> None:
        text = notice(response, await self.language(message, store_down=store_down))
        await message.output_channel.send_text_message(message.sender_id, text)

    def wrap(self, on_new_message: Handler) -> Handler:
        async def handle(message: Any) -> Any:
            if isinstance(message.text, str):
                message.text = clean_text(message.text)
            decision = await self.limiter.check(str(message.sender_id))
            if not decision.allowed:
                logger.warning("rate limit: a message was not processed")
                if decision.warn:
                    await self.tell(message, "utter_too_many_messages")
                return None
            cut = False
            if isinstance(message.text, str):
                message.text, cut = cap(message.text)
            try:
                result = await on_new_message(message)
            except TrackerStoreUnavailable:
                logger.error("conversation store unavailable: a message was not kept")
                await self.tell(message, "utter_store_unavailable", store_down=True)
                return None
            except Exception as error:  # noqa: BLE001
                # Rasa's channels would log the person's text with the error; this names the
                # kind of failure only, and the person is asked to send the message again.
                logger.error("handling a message failed: %s", type(error).__name__)
                await self.tell(message, "utter_store_unavailable", store_down=True)
                return None
            if cut:
                await self.tell(message, "utter_message_too_long")
            return result

        return handle
