"""Opening and listing counsellor cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import select

from bot.handoff.db import new_session
from bot.handoff.models import Case, CaseEvent, CaseStatus, Priority


@dataclass(frozen=True)
class CaseSummary:
    id: int
    conversation_id: str
    channel: str
    language: str
    priority: str
    status: str
    reason: str
    created_at: str


def _summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        conversation_id=case.conversation_id,
        channel=case.channel,
        language=case.language,
        priority=case.priority.value,
        status=case.status.value,
        reason=case.reason,
        created_at=case.created_at.isoformat(timespec="seconds"),
    )


def open_case(
    conversation_id: str,
    *,
    channel: str,
    language: str,
    reason: str,
    urgent: bool = False,
    url: str | None = None,
) -> CaseSummary:
    """Return the conversation's open case, or open one; an urgent request upgrades it."""
    with new_session(url) as session, session.begin():
        existing = session.scalars(
            select(Case)
            .where(Case.conversation_id == conversation_id, Case.status != CaseStatus.closed)
            .order_by(Case.id.desc())
        ).first()
        if existing is not None:
            if urgent and existing.priority != Priority.urgent:
                existing.priority = Priority.urgent
                existing.events.append(CaseEvent(kind="escalated", actor="bot", detail=reason))
            return _summary(existing)
        case = Case(
            conversation_id=conversation_id,
            channel=channel,
            language=language,
            reason=reason,
            priority=Priority.urgent if urgent else Priority.normal,
            status=CaseStatus.queued,
        )
        case.events.append(CaseEvent(kind="created", actor="bot", detail=reason))
        session.add(case)
        session.flush()
        return _summary(case)


def list_cases(*, include_closed: bool = False, url: str | None = None) -> list[CaseSummary]:
    """Cases in queue order: urgent first, then oldest first."""
    query = select(Case)
    if not include_closed:
        query = query.where(Case.status != CaseStatus.closed)
    urgent_first = sql_case((Case.priority == Priority.urgent, 0), else_=1)
    query = query.order_by(urgent_first, Case.created_at, Case.id)
    with new_session(url) as session:
        return [_summary(c) for c in session.scalars(query)]
