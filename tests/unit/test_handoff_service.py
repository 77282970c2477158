"""Cases database: opening, reusing, escalating and listing cases (real SQLite)."""

from __future__ import annotations

from sqlalchemy import select

from bot.handoff.db import new_session
from bot.handoff.models import Case, CaseEvent
from bot.handoff.service import get_case, list_cases, log_event, open_case


def test_opening_a_case_writes_a_row_and_a_timeline_event(cases_db):
    case = open_case("conv-1", channel="rest", language="fr", reason="requested")
    with new_session(cases_db) as session:
        row = session.get(Case, case.id)
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert (
        row.conversation_id,
        row.channel,
        row.language,
        row.status.value,
        row.priority.value,
    ) == ("conv-1", "rest", "fr", "queued", "normal")
    assert [(e.kind, e.actor) for e in events] == [("created", "bot")]


def test_a_second_request_reuses_the_open_case(cases_db):
    first = open_case("conv-1", channel="rest", language="en", reason="requested")
    second = open_case("conv-1", channel="rest", language="en", reason="requested")
    assert first.id == second.id
    assert len(list_cases()) == 1


def test_urgent_request_escalates_an_open_case(cases_db):
    first = open_case("conv-1", channel="rest", language="en", reason="requested")
    again = open_case("conv-1", channel="rest", language="en", reason="urgent_help", urgent=True)
    assert again.id == first.id and again.priority == "urgent"


def test_queue_lists_urgent_first_then_oldest(cases_db):
    open_case("a", channel="rest", language="en", reason="requested")
    open_case("b", channel="rest", language="en", reason="requested")
    open_case("c", channel="telegram", language="ar", reason="urgent_help", urgent=True)
    assert [c.conversation_id for c in list_cases()] == ["c", "a", "b"]


def test_a_plain_timeline_event_is_recorded(cases_db):
    case = open_case("conv-1", channel="rest", language="en", reason="requested")
    log_event(case.id, "exported", "ana", "json")
    assert [(e.kind, e.actor, e.detail) for e in get_case(case.id).timeline][-1] == (
        "exported",
        "ana",
        "json",
    )
