"""Erasing a person's data from inside the Rasa server: their tracker and their counsellor cases.

It runs in the server (not in an action) because Rasa saves the tracker after every action,
which would write the erased events back. The conversation's lock keeps a message from being
processed halfway through.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.handoff.service import erase_conversation
from bot.language import default_language, load_languages

logger = logging.getLogger(__name__)


async def person_language(agent: Any, sender_id: str, fallback: str | None = None) -> str:
    """The conversation's language, else the channel's hint, else the default."""
    tracker = await agent.tracker_store.retrieve(sender_id)
    language = tracker.get_slot("language") if tracker is not None else None
    supported = load_languages()
    for candidate in (language, (fallback or "").split("-")[0].lower()):
        if candidate in supported:
            return candidate
    return default_language()


@dataclass(frozen=True)
class Erased:
    language: str  # the language to confirm the erasure in
    events: int
    cases: int


async def erase(agent: Any, sender_id: str, fallback: str | None = None) -> Erased:
    """Deletes the conversation's events and cases, and says how many."""
    async with agent.lock_store.lock(sender_id):
        language = await person_language(agent, sender_id, fallback)
        deleted = _delete_events(agent.tracker_store, sender_id)
        cases = erase_conversation(sender_id)
    # Counts only: a log line never names the person.
    logger.info("erased a conversation on request: %s events, %s cases", deleted, cases)
    return Erased(language, deleted, cases)


async def erase_person(agent: Any, sender_id: str, fallback: str | None = None) -> str:
    """Deletes the conversation's events and cases; returns the language to confirm it in."""
    return (await erase(agent, sender_id, fallback)).language


def _delete_events(store: Any, sender_id: str) -> int:
    """Removes the stored events of one conversation, for the tracker stores the project uses."""
    from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore

    inner = store
    while hasattr(inner, "_tracker_store"):  # Rasa wraps the store (fail-safe, awaitable)
        inner = inner._tracker_store
    if isinstance(inner, SQLTrackerStore):
        with inner.session_scope() as session:
            count = (
                session.query(inner.SQLEvent)
                .filter(inner.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
            return int(count)
    if isinstance(inner, InMemoryTrackerStore):
        return 1 if inner.store.pop(sender_id, None) is not None else 0
    raise RuntimeError(f"erasure is not implemented for {type(inner).__name__}")
