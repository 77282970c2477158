"""The case service: every change of a case's owner or content, each written as a timeline event.

Ownership is explicit, `bot → queued → with_counsellor → closed`; a closed case never reopens (a
new request opens a new case). Functions return plain dataclasses so callers (actions, console,
CLI) never hold a database session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.handoff.db import new_session
from bot.handoff.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Counsellor,
    Note,
    Priority,
    Tag,
    case_tags,
    utcnow,
)


class CaseError(Exception):
    """A request the case's state does not allow (the console shows the message)."""


class CaseNotFound(CaseError):
    pass


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
    partner: str = ""
    assignee: str | None = None
    tags: tuple[str, ...] = ()
    closed_reason: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    actor: str
    detail: str
    at: str


@dataclass(frozen=True)
class NoteEntry:
    author: str
    text: str
    at: str


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    timeline: list[TimelineEntry] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        conversation_id=case.conversation_id,
        channel=case.channel,
        language=case.language,
        priority=case.priority.value,
        status=case.status.value,
        reason=case.reason,
        created_at=_iso(case.created_at),
        partner=case.partner,
        assignee=case.assignee.login if case.assignee else None,
        tags=tuple(t.name for t in case.tags),
        closed_reason=case.closed_reason,
    )


def _load(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound(f"case {case_id} does not exist")
    return case


def _open_case_in(session: Session, conversation_id: str) -> Case | None:
    """The conversation's newest case that is not closed, if any."""
    return session.scalars(
        select(Case)
        .where(Case.conversation_id == conversation_id, Case.status != CaseStatus.closed)
        .order_by(Case.id.desc())
    ).first()


def _open_only(case: Case, doing: str) -> None:
    if case.status == CaseStatus.closed:
        raise CaseError(f"case {case.id} is closed; cannot {doing}")


def _counsellor(session: Session, login: str) -> Counsellor:
    counsellor = session.scalars(select(Counsellor).where(Counsellor.login == login)).first()
    if counsellor is None or not counsellor.active:
        raise CaseError(f"no active counsellor {login!r}")
    return counsellor


def open_case(
    conversation_id: str,
    *,
    channel: str,
    language: str,
    reason: str,
    urgent: bool = False,
    partner: str = "",
    url: str | None = None,
) -> CaseSummary:
    """Return the conversation's open case, or open one; an urgent request upgrades it."""
    with new_session(url) as session, session.begin():
        existing = _open_case_in(session, conversation_id)
        if existing is not None:
            if urgent and existing.priority != Priority.urgent:
                existing.priority = Priority.urgent
                existing.events.append(CaseEvent(kind="escalated", actor="bot", detail=reason))
            return _summary(existing)
        case = Case(
            conversation_id=conversation_id,
            channel=channel,
            language=language,
            partner=partner,
            reason=reason,
            priority=Priority.urgent if urgent else Priority.normal,
            status=CaseStatus.queued,
        )
        case.events.append(CaseEvent(kind="created", actor="bot", detail=reason))
        session.add(case)
        session.flush()
        return _summary(case)


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None  # None: every open case; "all": closed ones too
    priority: str | None = None
    language: str | None = None
    channel: str | None = None
    tag: str | None = None
    partner: str | None = None


def list_cases(
    filters: CaseFilter | None = None, *, include_closed: bool = False, url: str | None = None
) -> list[CaseSummary]:
    """Cases in queue order: urgent first, then oldest first."""
    f = filters or CaseFilter(status="all" if include_closed else None)
    query = select(Case).options(selectinload(Case.tags), selectinload(Case.assignee))
    if f.status in (None, ""):
        query = query.where(Case.status != CaseStatus.closed)
    elif f.status != "all":
        query = query.where(Case.status == CaseStatus(f.status))
    if f.priority:
        query = query.where(Case.priority == Priority(f.priority))
    for column, value in ((Case.language, f.language), (Case.channel, f.channel)):
        if value:
            query = query.where(column == value)
    if f.partner:
        query = query.where(Case.partner == f.partner)
    if f.tag:
        query = query.where(Case.tags.any(Tag.name == f.tag))
    urgent_first = sql_case((Case.priority == Priority.urgent, 0), else_=1)
    query = query.order_by(urgent_first, Case.created_at, Case.id)
    with new_session(url) as session:
        return [_summary(c) for c in session.scalars(query)]


def counts(url: str | None = None) -> dict[str, int]:
    """Open cases by status, and urgent ones among them, for the queue's header."""
    with new_session(url) as session:
        rows = session.execute(
            select(Case.status, Case.priority, func.count()).group_by(Case.status, Case.priority)
        ).all()
    result = {s.value: 0 for s in CaseStatus} | {"urgent": 0}
    for status, priority, n in rows:
        result[status.value] += n
        if priority == Priority.urgent and status != CaseStatus.closed:
            result["urgent"] += n
    return result


def get_case(case_id: int, url: str | None = None) -> CaseDetail:
    with new_session(url) as session:
        case = _load(session, case_id)
        return CaseDetail(
            summary=_summary(case),
            timeline=[TimelineEntry(e.kind, e.actor, e.detail, _iso(e.at)) for e in case.events],
            notes=[NoteEntry(n.author, n.text, _iso(n.at)) for n in case.notes],
        )


def open_case_of(conversation_id: str, url: str | None = None) -> CaseSummary | None:
    with new_session(url) as session:
        case = _open_case_in(session, conversation_id)
        return _summary(case) if case else None


def claim(case_id: int, login: str, url: str | None = None) -> CaseSummary:
    """The counsellor takes the case: it leaves the queue and is theirs."""
    return assign(case_id, login, by=login, url=url)


def assign(case_id: int, login: str, *, by: str, url: str | None = None) -> CaseSummary:
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)
        _open_only(case, "assign it")
        counsellor = _counsellor(session, login)
        if case.assignee_id == counsellor.id and case.status == CaseStatus.with_counsellor:
            return _summary(case)
        case.assignee = counsellor
        case.status = CaseStatus.with_counsellor
        kind = "claimed" if by == login else "assigned"
        case.events.append(CaseEvent(kind=kind, actor=by, detail=login))
        session.flush()
        return _summary(case)


def record_reply(case_id: int, login: str, url: str | None = None) -> CaseSummary:
    """A counsellor's reply went out; an unclaimed case becomes theirs (they are answering it)."""
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)
        _open_only(case, "reply")
        if case.status == CaseStatus.queued:
            case.assignee = _counsellor(session, login)
            case.status = CaseStatus.with_counsellor
            case.events.append(CaseEvent(kind="claimed", actor=login, detail=login))
        case.events.append(CaseEvent(kind="replied", actor=login, detail=""))
        session.flush()
        return _summary(case)


def check_can_reply(case_id: int, url: str | None = None) -> CaseSummary:
    with new_session(url) as session:
        case = _load(session, case_id)
        _open_only(case, "reply")
        return _summary(case)


def add_note(case_id: int, author: str, text: str, url: str | None = None) -> NoteEntry:
    text = text.strip()
    if not text:
        raise CaseError("an empty note")
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)
        note = Note(author=author, text=text[:5000])
        case.notes.append(note)
        case.events.append(CaseEvent(kind="noted", actor=author, detail=""))
        session.flush()
        return NoteEntry(note.author, note.text, _iso(note.at))


def normalise_tag(name: str) -> str:
    return " ".join(name.strip().lower().split())[:64]


def add_tag(case_id: int, name: str, *, by: str, url: str | None = None) -> CaseSummary:
    name = normalise_tag(name)
    if not name:
        raise CaseError("an empty tag")
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)
        if name not in {t.name for t in case.tags}:
            tag = session.scalars(select(Tag).where(Tag.name == name)).first() or Tag(name=name)
            case.tags.append(tag)
            case.events.append(CaseEvent(kind="tagged", actor=by, detail=name))
        session.flush()
        return _summary(case)


def remove_tag(case_id: int, name: str, *, by: str, url: str | None = None) -> CaseSummary:
    name = normalise_tag(name)
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)
        kept = [t for t in case.tags if t.name != name]
        if len(kept) != len(case.tags):
            case.tags = kept
            case.events.append(CaseEvent(kind="untagged", actor=by, detail=name))
        session.flush()
        return _summary(case)


def all_tags(url: str | None = None) -> list[str]:
    with new_session(url) as session:
        return list(session.scalars(select(Tag.name).order_by(Tag.name)))


def close(case_id: int, *, by: str, reason: str, url: str | None = None) -> CaseSummary:
    """Closes the case (by a counsellor, by the person cancelling, or by the queue timeout)."""
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)
        _open_only(case, "close it again")
        case.status = CaseStatus.closed
        case.closed_reason = reason
        case.closed_at = utcnow()
        case.events.append(CaseEvent(kind="closed", actor=by, detail=reason))
        session.flush()
        return _summary(case)


def log_event(
    case_id: int, kind: str, actor: str, detail: str = "", url: str | None = None
) -> None:
    """A timeline entry that changes nothing else (e.g. the bot resumed, an export was taken)."""
    with new_session(url) as session, session.begin():
        case = _load(session, case_id)  # held: the event list needs its parent alive
        case.events.append(CaseEvent(kind=kind, actor=actor, detail=detail))


def queued_before(cutoff: dt.datetime, url: str | None = None) -> list[CaseSummary]:
    """Cases nobody has picked up since `cutoff` (the queue timeout hands them back to the bot)."""
    with new_session(url) as session:
        query = select(Case).where(Case.status == CaseStatus.queued, Case.created_at < cutoff)
        return [_summary(c) for c in session.scalars(query.order_by(Case.id))]


def needs_hand_back(since: dt.datetime, url: str | None = None) -> list[CaseSummary]:
    """Closed cases whose conversation was not handed back to the bot (Rasa was unreachable)."""
    with new_session(url) as session:
        handed = select(CaseEvent.case_id).where(CaseEvent.kind == "handed_back")
        query = select(Case).where(
            Case.status == CaseStatus.closed,
            Case.closed_at >= since,
            # A case closed a moment ago is being handed back by whoever closed it.
            Case.closed_at <= utcnow() - dt.timedelta(seconds=30),
            Case.id.not_in(handed),
        )
        return [_summary(c) for c in session.scalars(query.order_by(Case.id))]


def delete_cases(session: Session, cases: Sequence[Case]) -> int:
    """Deletes cases with their timeline, notes and tag links (erasure and retention).

    A tag that no other case uses goes too: counsellors write tags freely, so one may describe
    the person."""
    tags = {tag for case in cases for tag in case.tags}
    for case in cases:
        session.delete(case)
    session.flush()
    for tag in tags:
        used = select(func.count()).select_from(case_tags).where(case_tags.c.tag_id == tag.id)
        if not session.scalar(used):
            session.delete(tag)
    return len(cases)


def erase_conversation(conversation_id: str, url: str | None = None) -> int:
    """Deletes every case of a conversation, with its timeline and notes (the person's erasure)."""
    with new_session(url) as session, session.begin():
        cases = session.scalars(select(Case).where(Case.conversation_id == conversation_id)).all()
        return delete_cases(session, cases)


def mark_unreachable(conversation_id: str, detail: str, url: str | None = None) -> int | None:
    """The person blocked the bot: their open case says so (a reply would never arrive)."""
    case = open_case_of(conversation_id, url)
    if case is None:
        return None
    log_event(case.id, "person_unreachable", "system", detail, url)
    return case.id
