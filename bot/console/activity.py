"""Which conversations have new tracker events since the watcher last looked: one SQL query.

The watcher checks open cases for a person's cancel phrase. Fetching every open case's whole
tracker from Rasa on every pass made the console and Rasa busier with each open case (a test
session with a few dozen open cases timed requests out), so it now asks Rasa only for
conversations whose newest event id in Rasa's `events` table changed. When that table cannot be
read, every open conversation counts as changed (the old behaviour).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)
EVENTS = sa.table("events", sa.column("id", sa.Integer), sa.column("sender_id", sa.String))


class ConversationActivity:
    def __init__(self, tracker_url: str) -> None:
        self.tracker_url = tracker_url
        self._engine: Engine | None = None
        self._seen: dict[str, int] = {}

    def _connect(self) -> Engine | None:
        if self._engine is None:
            from bot.privacy.retention import tracker_engine

            self._engine = tracker_engine(self.tracker_url)
        return self._engine

    def changed(self, conversation_ids: list[str]) -> set[str]:
        ids = sorted(set(conversation_ids))
        try:
            engine = self._connect()
            if engine is None:
                return set(ids)
            with engine.connect() as conn:
                latest = dict(
                    conn.execute(
                        sa.select(EVENTS.c.sender_id, sa.func.max(EVENTS.c.id))
                        .where(EVENTS.c.sender_id.in_(ids))
                        .group_by(EVENTS.c.sender_id)
                    ).all()
                )
        except SQLAlchemyError as error:
            logger.warning("tracker database not readable (%s)", type(error).__name__)
            return set(ids)
        changed = {c for c in ids if latest.get(c) != self._seen.get(c)}
        self._seen = {c: latest[c] for c in ids if c in latest}  # closed cases are forgotten
        return changed

    def forget(self, conversation_id: str) -> None:
        """Look again next time (Rasa could not be asked this time)."""
        self._seen.pop(conversation_id, None)
