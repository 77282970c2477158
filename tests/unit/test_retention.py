"""Retention purge on SQLite and PostgreSQL: tracker events written by Rasa's own SQLTrackerStore,
cases by the case service; old conversations and their cases go, the rest stays."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url

from bot.handoff.db import new_session
from bot.handoff.models import Case, CaseEvent, Note, Tag, case_tags
from bot.handoff.service import add_note, add_tag, close, open_case
from bot.privacy.retention import PurgeResult, purge

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
PERIOD = dt.timedelta(days=61)
OLD = NOW - dt.timedelta(days=90)
RECENT = NOW - dt.timedelta(days=10)


@dataclass
class Stores:
    tracker_url: str
    cases_url: str
    tracker_kwargs: dict


def _postgres_database(server_url: str, name: str) -> str:
    engine = create_engine(server_url, future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path) -> Iterator[Stores]:
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        yield Stores(f"sqlite:///{path}", f"sqlite:///{tmp_path / 'cases.db'}", {"db": str(path)})
        return
    server = request.getfixturevalue("postgres_url")
    suffix = uuid.uuid4().hex[:8]
    tracker_url = _postgres_database(server, f"tracker_{suffix}")
    cases_url = _postgres_database(server, f"cases_{suffix}")
    url = make_url(tracker_url)
    yield Stores(
        tracker_url,
        cases_url,
        {
            "dialect": "postgresql",
            "host": url.host,
            "port": url.port,
            "db": url.database,
            "username": url.username,
        },
    )


async def write_conversation(stores: Stores, sender: str, *moments: dt.datetime) -> int:
    """A conversation stored by Rasa's SQLTrackerStore: a message and an answer at each moment."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = []
    for moment in moments:
        at = moment.timestamp()
        events += [
            UserUttered(f"message of {sender}", {"name": "greet"}, timestamp=at),
            BotUttered(f"answer to {sender}", timestamp=at + 1),
            ActionExecuted("action_listen", timestamp=at + 2),
        ]
    store = SQLTrackerStore(**stores.tracker_kwargs)
    try:
        await store.save(DialogueStateTracker.from_events(sender, events))
    finally:
        store.engine.dispose()
    return len(events)


def closed_case(stores: Stores, sender: str, closed_at: dt.datetime, tag: str = "") -> int:
    url = stores.cases_url
    case = open_case(sender, channel="socketio", language="fr", reason="requested", url=url)
    add_note(case.id, "ana", f"note about {sender}", url=url)
    if tag:
        add_tag(case.id, tag, by="ana", url=url)
    close(case.id, by="ana", reason="closed_by_counsellor", url=url)
    with new_session(url) as session, session.begin():
        naive = closed_at.astimezone(dt.timezone.utc).replace(tzinfo=None)
        session.execute(update(Case).where(Case.id == case.id).values(closed_at=naive))
    return case.id


def tracker_senders(stores: Stores) -> dict[str, int]:
    engine = create_engine(stores.tracker_url, future=True)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT sender_id, count(*) FROM events GROUP BY sender_id"))
        found = {sender: n for sender, n in rows}
    engine.dispose()
    return found


def cases_state(stores: Stores) -> dict[str, object]:
    with new_session(stores.cases_url) as session:
        return {
            "cases": sorted(session.scalars(select(Case.conversation_id))),
            "events": session.scalar(select(func.count()).select_from(CaseEvent)),
            "notes": sorted(session.scalars(select(Note.text))),
            "tags": sorted(session.scalars(select(Tag.name))),
            "links": session.scalar(select(func.count()).select_from(case_tags)),
        }


async def test_old_conversations_and_their_cases_go_the_rest_stays(stores):
    old_events = await write_conversation(stores, "old", OLD)
    await write_conversation(stores, "came-back", OLD, RECENT)
    await write_conversation(stores, "old-with-open-case", OLD)
    await write_conversation(stores, "recent", RECENT)
    closed_case(stores, "old", OLD + dt.timedelta(minutes=5), tag="only-old")
    closed_case(stores, "old", OLD + dt.timedelta(minutes=9), tag="shared")
    closed_case(stores, "came-back", OLD + dt.timedelta(minutes=5), tag="shared")
    open_case("old-with-open-case", channel="telegram", language="ar", reason="requested",
              url=stores.cases_url)  # fmt: skip
    closed_case(stores, "erased-long-ago", OLD)  # its conversation is gone from the tracker
    closed_case(stores, "erased-lately", RECENT)  # gone too, but the case is recent

    before = (tracker_senders(stores), cases_state(stores))
    dry = purge(stores.tracker_url, stores.cases_url, PERIOD, NOW, dry_run=True)
    expected = PurgeResult(conversations=1, events=old_events, cases=2, orphan_cases=1, kept_open=1)
    assert dry == PurgeResult(**(expected.as_dict() | {"dry_run": True}))
    assert (tracker_senders(stores), cases_state(stores)) == before  # a dry run deletes nothing

    assert purge(stores.tracker_url, stores.cases_url, PERIOD, NOW) == expected
    assert set(tracker_senders(stores)) == {"came-back", "old-with-open-case", "recent"}
    assert tracker_senders(stores)["came-back"] == 6  # every event kept, the old ones too
    state = cases_state(stores)
    assert state["cases"] == ["came-back", "erased-lately", "old-with-open-case"]
    assert state["notes"] == ["note about came-back", "note about erased-lately"]
    # The tag only the old conversation used is gone; the one another case uses stays.
    assert state["tags"] == ["shared"] and state["links"] == 1
    with new_session(stores.cases_url) as session:
        per_case = session.execute(
            select(Case.conversation_id, func.count(CaseEvent.id))
            .join(CaseEvent, CaseEvent.case_id == Case.id)
            .group_by(Case.conversation_id)
        ).all()
    assert state["events"] == sum(n for _, n in per_case)  # no timeline row left without a case

    # Nothing more to do on a second pass.
    again = purge(stores.tracker_url, stores.cases_url, PERIOD, NOW)
    assert again == PurgeResult(kept_open=1)


async def test_a_conversation_is_kept_until_its_last_event_passes_the_period(stores):
    await write_conversation(stores, "edge", NOW - PERIOD + dt.timedelta(minutes=1))
    assert purge(stores.tracker_url, stores.cases_url, PERIOD, NOW).conversations == 0
    later = NOW + dt.timedelta(minutes=2)
    assert purge(stores.tracker_url, stores.cases_url, PERIOD, later).conversations == 1
    assert tracker_senders(stores) == {}


def test_without_a_tracker_database_no_case_is_taken_for_an_orphan(tmp_path):
    cases_url = f"sqlite:///{tmp_path / 'cases.db'}"
    stores = Stores(f"sqlite:///{tmp_path / 'missing.db'}", cases_url, {})
    closed_case(stores, "someone", OLD)
    assert purge(stores.tracker_url, cases_url, PERIOD, NOW) == PurgeResult()
    assert cases_state(stores)["cases"] == ["someone"]
    assert not (tmp_path / "missing.db").exists()  # a purge never creates the tracker database


async def test_the_purge_command_counts_on_a_dry_run_and_then_deletes(
    tmp_path, monkeypatch, capsys
):
    from bot.cli import main

    path = tmp_path / "tracker.db"
    stores = Stores(f"sqlite:///{path}", f"sqlite:///{tmp_path / 'c.db'}", {"db": str(path)})
    long_ago = dt.datetime.now(dt.timezone.utc) - PERIOD * 2
    await write_conversation(stores, "silent", long_ago)
    await write_conversation(stores, "active", dt.datetime.now(dt.timezone.utc))
    closed_case(stores, "erased-long-ago", long_ago)
    monkeypatch.setenv("TRACKER_DATABASE_URL", stores.tracker_url)
    monkeypatch.setenv("CASES_DATABASE_URL", stores.cases_url)
    monkeypatch.setenv("RETENTION_DAYS", "61")
    assert main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would delete 1 conversation(s) (3 events)" in out and "1 old closed case(s)" in out
    assert set(tracker_senders(stores)) == {"silent", "active"}
    assert main(["purge"]) == 0
    assert "deleted 1 conversation(s)" in capsys.readouterr().out
    assert set(tracker_senders(stores)) == {"active"} and cases_state(stores)["cases"] == []
