"""Rasa's SQL tracker store, made to survive a database restart.

Configured in endpoints (`tracker_store: type: bot.stores.ResilientSQLTrackerStore`, with the
same keys as Rasa's `SQL` type). Two changes to Rasa's store:
- connections are checked before use (`pool_pre_ping`): after PostgreSQL restarts, the pool's
  dead connections are replaced instead of failing the next turns;
- reads and writes that still fail on a connection error are retried for
  TRACKER_STORE_RETRY_SECONDS (default 20 s), then raise TrackerStoreUnavailable.
Rasa wraps every store in a fail-safe that answers a failed read with a brand-new conversation
(language, form and a paused handoff forgotten) and keeps failed writes in one replica's memory.
bot/rasa_server.py therefore leaves this store unwrapped: an outage becomes a clear error
(bot/channels/guard.py), never a silently forked conversation.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from sqlalchemy.exc import DBAPIError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store could not be read or written within the retry period."""


def retry_seconds() -> float:
    return float(os.environ.get("TRACKER_STORE_RETRY_SECONDS", "20"))


class ResilientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # hide_parameters: a database error must not write a conversation id into the log.
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url)
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrying(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        deadline = time.monotonic() + retry_seconds()
        delay = 0.25
        while True:
            try:
                return await operation()
            except DBAPIError as error:
                if not (error.connection_invalidated or isinstance(error, sa.exc.OperationalError)):
                    raise
                if time.monotonic() + delay > deadline:
                    raise TrackerStoreUnavailable(f"tracker store {what} failed") from error
                logger.warning("tracker store %s failed (%s); retrying", what, type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def retrieve(self, sender_id: str) -> Any:
        parent = super()
        return await self._retrying("read", lambda: parent.retrieve(sender_id))

    async def retrieve_full_tracker(self, conversation_id: str) -> Any:
        parent = super()
        return await self._retrying("read", lambda: parent.retrieve_full_tracker(conversation_id))

    async def save(self, tracker: Any) -> None:
        parent = super()
        await self._retrying("write", lambda: parent.save(tracker))

    async def keys(self) -> Any:
        parent = super()
        return await self._retrying("read", lambda: parent.keys())


def _innermost(store: Any) -> Any:
    while hasattr(store, "_tracker_store"):  # Rasa's awaitable wrapper
        store = store._tracker_store
    return store


def install() -> None:
    """Keeps Rasa's fail-safe wrapper away from this store (see the module's docstring)."""
    from rasa.core.agent import Agent

    original = Agent._create_tracker_store
    if getattr(original, "_keeps_resilient_store", False):
        return

    def create_tracker_store(store: Any, domain: Any) -> Any:
        if isinstance(_innermost(store), ResilientSQLTrackerStore):
            store.domain = domain
            return store
        return original(store, domain)

    create_tracker_store._keeps_resilient_store = True  # type: ignore[attr-defined]
    Agent._create_tracker_store = staticmethod(create_tracker_store)  # type: ignore[method-assign]
