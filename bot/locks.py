"""Rasa's Redis lock store, made safe for several replicas.

Rasa 3.6's RedisLockStore keeps a conversation's ticket queue as one JSON value and changes it by
reading, changing and writing it back. Two replicas taking a message of the same person at the
same moment both read the queue before either writes: one ticket is lost, both turns run at
once, and the tracker store keeps the events of only one of them (tests/integration/
test_lock_store.py shows both). Here each change is a Redis transaction on that value (WATCH,
MULTI, EXEC, retried when another replica wrote in between); the value and the waiting loop are
Rasa's own. Configured in endpoints as `lock_store: type: bot.locks.SharedRedisLockStore` with
the keys of Rasa's `redis` type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

T = TypeVar("T")


class SharedRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        # Rasa builds a custom lock store from its endpoint only; `url` is Redis's host there.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Applies `change` to the stored queue atomically; an empty queue is deleted."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else TicketLock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:  # noqa: BLE001 - Rasa's contract: LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        # Rasa saved an emptied queue, and a waiter whose ticket had expired spun until another
        # turn deleted it; deleted here, the waiter gets Rasa's LockError at once.
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Rasa's cleanup is finish_serving and then a separate delete when the queue looks empty,
        # which could delete a ticket issued in between; one transaction does both.
        self.finish_serving(conversation_id, ticket_number)
