"""Retention: conversations and cases are deleted once the retention period has passed.

A conversation goes when its LAST tracker event is older than the period: all its events (Rasa's
`events` table) and its cases (with their timeline, notes and tag links). A conversation with an
open case is kept: someone is still working on it. Closed cases older than the period whose
conversation is no longer in the tracker store go too.

The default period, 61 days, follows Fedasil: data from voluntary-return information requests is
kept 2 months (fedasil.be privacy page, /work/shared/facts/avrr-belgium-luxembourg.md section 8).

SQLAlchemy only, no Rasa import: the console process (scheduled) and `python -m bot.cli purge` run
it. It writes to Rasa's table directly; Rasa only appends to it, and a delete is guarded so that a
conversation that received a message since the candidates were read is left alone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from bot.handoff.db import database_url, new_session
from bot.handoff.models import Case, CaseStatus
from bot.handoff.service import delete_cases
from bot.paths import VAR

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 61  # 2 months, as Fedasil keeps information requests
BATCH = 500  # ids per IN (...) clause: well under SQLite's and PostgreSQL's parameter limits

# Rasa's SQLTrackerStore table, only the two columns retention needs.
EVENTS = sa.table("events", sa.column("sender_id", sa.String), sa.column("timestamp", sa.Float))


def tracker_database_url() -> str:
    return os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{VAR / 'tracker.db'}"


@dataclass(frozen=True)
class RetentionSettings:
    tracker_url: str
    cases_url: str
    days: float = DEFAULT_RETENTION_DAYS
    sweep_seconds: float = 3600.0  # 0: no scheduled purge (e.g. the CLI runs from cron instead)

    @classmethod
    def from_env(cls) -> RetentionSettings:
        return cls(
            tracker_url=tracker_database_url(),
            cases_url=database_url(),
            days=float(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
            sweep_seconds=float(os.environ.get("RETENTION_SWEEP_SECONDS", "3600")),
        )

    @property
    def period(self) -> dt.timedelta:
        return dt.timedelta(days=self.days)


@dataclass(frozen=True)
class PurgeResult:
    conversations: int = 0  # conversations whose events were deleted
    events: int = 0  # tracker rows deleted
    cases: int = 0  # cases of those conversations
    orphan_cases: int = 0  # old closed cases whose conversation was already gone
    kept_open: int = 0  # old conversations kept because a case is still open
    dry_run: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)

    @property
    def changed(self) -> bool:
        return bool(self.conversations or self.events or self.cases or self.orphan_cases)


def _utc(moment: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (the cases database stores naive UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _batches(items: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(items)
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def tracker_engine(url: str) -> Engine | None:
    """The tracker database, or None if it does not exist yet (never created by a purge)."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path != ":memory:" and not Path(path).exists():
            return None
    engine = sa.create_engine(url, future=True, hide_parameters=True)
    if not sa.inspect(engine).has_table("events"):
        engine.dispose()
        return None
    return engine


def _stale_conversations(conn: Connection, cutoff: float) -> set[str]:
    query = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
    )
    return set(conn.scalars(query))


def _delete_conversations(
    conn: Connection, senders: set[str], cutoff: float
) -> tuple[int, set[str]]:
    """Deletes the events of `senders`, except those that wrote again meanwhile."""
    deleted: set[str] = set()
    rows = 0
    for batch in _batches(senders):
        recent = sa.select(EVENTS.c.sender_id).where(
            EVENTS.c.sender_id.in_(batch), EVENTS.c.timestamp >= cutoff
        )
        active = set(conn.scalars(recent.distinct()))
        gone = [s for s in batch if s not in active]
        if not gone:
            continue
        # The same guard inside the DELETE: a message stored since the line above keeps it.
        result = conn.execute(
            sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(gone), EVENTS.c.sender_id.not_in(recent))
        )
        rows += result.rowcount
        deleted.update(gone)
    return rows, deleted


def _present(conn: Connection, senders: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for batch in _batches(set(senders)):
        query = sa.select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(batch)).distinct()
        found.update(conn.scalars(query))
    return found


def _closed_cases_of(session: Session, senders: Iterable[str]) -> list[Case]:
    cases: list[Case] = []
    for batch in _batches(senders):
        query = sa.select(Case).where(
            Case.conversation_id.in_(batch), Case.status == CaseStatus.closed
        )
        cases.extend(session.scalars(query))
    return cases


def purge(
    tracker_url: str,
    cases_url: str,
    period: dt.timedelta,
    now: dt.datetime | None = None,
    *,
    dry_run: bool = False,
) -> PurgeResult:
    """Deletes what is older than `period` before `now`; `dry_run` counts and deletes nothing."""
    cutoff = _utc(now or dt.datetime.now(dt.timezone.utc)) - period
    cutoff_epoch = cutoff.timestamp()
    cutoff_naive = cutoff.replace(tzinfo=None)

    with new_session(cases_url) as session:
        open_ids = set(
            session.scalars(
                sa.select(Case.conversation_id).where(Case.status != CaseStatus.closed).distinct()
            )
        )
        old_closed = list(
            session.scalars(
                sa.select(Case).where(
                    Case.status == CaseStatus.closed,
                    sa.func.coalesce(Case.closed_at, Case.updated_at) < cutoff_naive,
                )
            )
        )

        rows, kept = 0, 0
        purged: set[str] = set()
        present: set[str] | None = None  # None: no tracker database to ask
        engine = tracker_engine(tracker_url)
        if engine is not None:
            try:
                with engine.connect() as conn:
                    transaction = conn.begin()
                    stale = _stale_conversations(conn, cutoff_epoch)
                    kept = len(stale & open_ids)
                    rows, purged = _delete_conversations(conn, stale - open_ids, cutoff_epoch)
                    present = _present(conn, {c.conversation_id for c in old_closed})
                    if dry_run:
                        transaction.rollback()
                    else:
                        # Committed before the cases: a failure below leaves cases without a
                        # conversation, which the next pass deletes as orphans.
                        transaction.commit()
            finally:
                engine.dispose()

        cases = _closed_cases_of(session, purged)
        ids = {c.id for c in cases}
        # Without a tracker database nothing can be known about conversations: no orphans then.
        orphans = (
            [c for c in old_closed if c.conversation_id not in present and c.id not in ids]
            if present is not None
            else []
        )
        delete_cases(session, cases + orphans)
        if dry_run:
            session.rollback()
        else:
            session.commit()

    return PurgeResult(
        conversations=len(purged),
        events=rows,
        cases=len(cases),
        orphan_cases=len(orphans),
        kept_open=kept,
        dry_run=dry_run,
    )


def purge_now(settings: RetentionSettings, *, dry_run: bool = False) -> PurgeResult:
    result = purge(settings.tracker_url, settings.cases_url, settings.period, dry_run=dry_run)
    if result.changed and not dry_run:
        # Counts only: a log line never names a person.
        logger.info("retention (%s days): %s", settings.days, result.as_dict())
    return result


async def purge_periodically(settings: RetentionSettings) -> None:
    """The console's scheduled purge: now, then every `sweep_seconds`, for as long as it runs."""
    while True:
        try:
            await asyncio.to_thread(purge_now, settings)
        except Exception:  # the schedule must outlive one failed pass (database restarting)
            logger.exception("retention pass failed")
        await asyncio.sleep(settings.sweep_seconds)
